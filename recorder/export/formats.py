"""The single files `recorder export --format` writes: named here, apart from the code
that writes them, so that the command's help loads nothing heavier than click."""

FORMATS = ("json", "csv", "md", "html")
