"""The test suite as a package, so a site-packages "tests" (textstat ships one) never shadows it."""
