"""The window around the screens: start-up, main window, menus, dialogs, the task runner and the crash hook."""
