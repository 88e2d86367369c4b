"""The district hub: consolidate the assessments imported from many clinics and report upward.

No Qt here. The hub is an ordinary GuideCheck database into which clinic bundles were imported;
these modules only read it (except `conflicts.resolve` and the settings), so the CLI, the desktop
views and the reports all see the same figures. reportlab and openpyxl load only in the report
modules, when a report is written.
"""
