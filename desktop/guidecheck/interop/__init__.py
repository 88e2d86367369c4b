"""Interoperability: checklists authored as XLSForm, results for FHIR servers and DHIS2.

No Qt here; the command line (`guidecheck export …`, `guidecheck questionnaires import-xlsform`)
and the app's dialogs both call these modules. Heavy libraries (fhir.resources, pyxform, openpyxl)
load inside the function that needs them.
"""
