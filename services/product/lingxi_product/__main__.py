"""`python -m lingxi_product` runs the service like `lingxi serve product`."""

from lingxi_product.main import main

raise SystemExit(main())
