"""`python -m lingxi_points` runs the service like `lingxi serve points`."""

from lingxi_points.main import main

raise SystemExit(main())
