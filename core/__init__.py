"""The shared core beneath every stage and the service: errors, settings, schemas, engines, Modelfiles, manifests."""
