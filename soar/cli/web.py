"""`soar serve`: the web application (review queue, cases, dashboard, JSON API)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from soar.cli.app import HomeOption, app, console, err_console
from soar.workspace import Workspace, resolve

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(workspace: Workspace, host: str, port: int) -> None:
    """Serve the workspace's web app until Ctrl-C (imports the web stack only when used)."""
    import uvicorn

    from soar.web import WebSettings, create_app

    web = create_app(WebSettings(home=workspace.home))
    if not _is_loopback(host):
        err_console.print(
            f"note: session cookies are HTTPS-only; on {host} put the app behind an HTTPS "
            "proxy, or browsers will not keep the login",
            highlight=False,
        )
    console.print(
        f"SOAR web application at http://{host}:{port}/ (API docs /api/docs); "
        f"workspace {workspace.home}; Ctrl-C stops it",
        highlight=False,
    )
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command("serve")
def serve_command(
    home: HomeOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = DEFAULT_PORT,
) -> None:
    """Run the web app: review queue, case board, dashboard and JSON API.

    Log in with a case-store user that has a password (`soar users add`).
    """
    run_server(resolve(home).require(), host, port)
