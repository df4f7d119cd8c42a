"""`python -m lingxi_strategy` runs the service like `lingxi serve strategy`."""

from lingxi_strategy.main import main

raise SystemExit(main())
