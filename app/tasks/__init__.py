"""Follow-through: the tasks that decisions and visits give people, until marked done or blocked."""
