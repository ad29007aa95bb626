"""Lambda entry module: the Chalice app and its blueprints, one per démarche."""

from chalice import Chalice

from chalicelib.aquadrome import aquadrome
from chalicelib.conservatoire import conservatoire
from chalicelib.famille import famille
from chalicelib.system import system
from chalicelib.urbanisme import urbanisme
from chalicelib.urbanisme_workflow import urbanisme_workflow

# Powertools' Logger writes the JSON logs; Chalice's own handler would print each line twice.
app = Chalice(app_name="demarches", configure_logs=False)
app.register_blueprint(aquadrome)
app.register_blueprint(conservatoire)
app.register_blueprint(famille)
app.register_blueprint(system)
app.register_blueprint(urbanisme)
app.register_blueprint(urbanisme_workflow)
