"""The district hub's screens: overview, heat map, gaps, facility detail and conflicts."""
