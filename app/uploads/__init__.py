"""Files people upload to import (a roster, an e-journal export): kept for their owner
between preview and import, read into rows within bounds, their columns matched to fields."""
