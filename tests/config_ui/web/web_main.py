"""The app the simulated-user tests run (NiceGUI's ``user`` fixture executes this file).

The project, demo and security settings come from the environment the ``web_project``
fixture sets up, so every test works on its own copy of the demos. The simulated user reaches
the app as ``http://test`` without a token unless the test gives one.
"""

import os

from nicegui import ui

from config_ui.web.app import build, settings_for

build(
    settings_for(
        os.environ["BASALT_WEB_DEMO"],
        host=os.environ.get("BASALT_WEB_HOST", "127.0.0.1"),
        token=os.environ.get("BASALT_WEB_TOKEN") or None,
        no_token=not os.environ.get("BASALT_WEB_TOKEN"),
        allow_hosts=("test",),
        goto=os.environ.get("BASALT_WEB_GOTO") or None,
        dagster_port=int(os.environ.get("BASALT_WEB_DAGSTER_PORT") or 3000),
    )
)
ui.run(reload=False, show=False)
