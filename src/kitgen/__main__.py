"""`python -m kitgen` runs the command line."""

from kitgen.cli import main

main(prog_name="kitgen")
