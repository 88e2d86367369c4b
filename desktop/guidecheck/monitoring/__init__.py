"""Monitoring between assessments: observations of what the AI tool actually does, and monthly
tallies of how often it was used and overruled. Core only (no Qt); see `model`, `store`,
`identifiers`, `since` (what the next assessment shows), `bundle` (sync) and `district`."""
