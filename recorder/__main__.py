"""`python -m recorder`: the same as the `recorder` command."""

from recorder.main import main

main()
