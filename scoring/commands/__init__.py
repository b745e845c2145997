"""The commands as library functions, one module each (run, check, explain, template, sets); ``cli`` only
parses arguments and renders what they return. Nothing is imported here, so that a command pays at
start-up only for its own modules; the public names are on ``scoring`` (``scoring.run`` …)."""
