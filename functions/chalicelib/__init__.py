"""HTTP routes and event handlers of the démarches, one blueprint per démarche."""
