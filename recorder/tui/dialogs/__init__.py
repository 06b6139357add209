"""Modal dialogs over a screen: a question, the keys, a case's edit form, export and
verify. A dialog imports no screen."""
