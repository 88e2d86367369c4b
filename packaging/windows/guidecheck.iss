; Inno Setup 6.3 or newer (ArchitecturesAllowed=x64compatible needs 6.3): a per-user GuideCheck
; installer that needs no administrator rights.
;
; Build the app folder first (`python packaging\build.py` on Windows gives dist\GuideCheck\), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\guidecheck.iss
; or `python packaging\build.py --installer`, which passes the version and finds iscc.exe.
; The installer lands in dist\GuideCheck-<version>-windows-setup.exe.
;
; Installs to %LOCALAPPDATA%\Programs\GuideCheck ({userpf}) with a Start menu shortcut, so clinic
; staff without admin rights can install and update it. Uninstalling leaves the data folder
; (%LOCALAPPDATA%\GuideCheck) alone: assessments are records and must not vanish with the program.

#if Ver < EncodeVer(6, 3, 0)
  #error Inno Setup 6.3 or newer is needed (x64compatible); download it from jrsoftware.org
#endif

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "GuideCheck"
#define AppExe "GuideCheck.exe"
#ifndef DistDir
  #define DistDir "..\..\dist\GuideCheck"
#endif

[Setup]
; AppId identifies the product across versions (upgrades replace, not duplicate). Never change it.
AppId={{88F32A52-DDD1-4AE3-A1B0-DFDB0CCFAFAE}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=GuideCheck
AppComments=Checks an AI tool used at a clinic against the WHO 2025 guidance on AI in health care
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-windows-setup
SetupIconFile=guidecheck.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "pt"; MessagesFile: "compiler:Languages\Portuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder. A stale _internal from an older version is replaced file by file;
; [InstallDelete] below removes it first so no old library is left behind.
; Never a data folder or a portable marker from a test run of dist\ (a device key, records):
; build.py refuses such a folder before calling iscc; Excludes is the second lock.
Source: "{#DistDir}\*"; DestDir: "{app}"; Excludes: "\data,\data\*,\portable,\portable.txt,\portable.txt.txt"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "WHO guidance on AI in health care: check an AI tool"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program folder itself may hold; the data folder is kept on purpose.
Type: files; Name: "{app}\portable.txt"
Type: files; Name: "{app}\portable.txt.txt"
Type: files; Name: "{app}\portable"
