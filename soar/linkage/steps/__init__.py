"""One module per step of a linkage run; `soar.linkage.pipeline.STEPS` orders them."""
