"""Drive the development Home Assistant in headless Chromium as a newcomer would.

Onboarding -> Add integration (Smartcar) -> application credentials -> Application ID -> the
simulator's Connect pages -> the vehicle's device page -> the Overview dashboard -> the car
dashboard -> lock and unlock from its tile -> a charge-schedule action with a bad input and its
error -> the integration's options. A screenshot per step goes to --out; any failed step exits
non-zero (with a screenshot of where it stopped).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
import re
import sys
import time
import urllib.request

from playwright.sync_api import (
    Error as PlaywrightError,
    Page,
    TimeoutError as PlaywrightTimeoutError,
    sync_playwright,
)

from smartcar_simulator import (
    DEMO_APPLICATION_ID,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    OWNER_EMAIL,
)
from smartcar_simulator.vehicles import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


def wait_for_home_assistant(url: str, seconds: float = 300) -> None:
    """Wait until Home Assistant answers HTTP (the first start installs nothing, but loads a lot)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/manifest.json", timeout=5):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"Home Assistant did not answer at {url}")


class Steps:
    """Numbered steps, each ending with a screenshot."""

    def __init__(self, page: Page, out: Path) -> None:
        """Screenshots of `page` go to `out`."""
        self.page = page
        self.out = out
        self.number = 0

    def run(self, name: str, action: Callable[[], None]) -> None:
        """Run one step; screenshot it (also when it fails)."""
        self.number += 1
        shot = self.out / f"{self.number:02d}-{name}.png"
        print(f"e2e: step {self.number}: {name}", flush=True)
        try:
            action()
        finally:
            try:
                self.page.screenshot(path=str(shot), full_page=True)
            except PlaywrightError:
                if (
                    not self.page.is_closed()
                ):  # Connect's window closes itself when done
                    raise


def fill_inputs(page: Page, *values: str) -> None:
    """Fill the visible text inputs in order (Playwright's CSS reaches into the web components)."""
    inputs = page.locator("input:visible")
    inputs.first.wait_for()
    for index, value in enumerate(values):
        inputs.nth(index).fill(value)


def onboard(page: Page, ha: str) -> None:
    """Create the owner account and finish onboarding."""
    page.goto(ha)
    page.get_by_role(
        "button", name=re.compile("create my smart home", re.IGNORECASE)
    ).click()
    fill_inputs(page, "Demo Owner", "demo", "demo-password-1", "demo-password-1")
    page.get_by_role("button", name=re.compile("create account", re.IGNORECASE)).click()
    # Location, analytics, devices found...: "Next" until "Finish" leaves onboarding.
    for _ in range(8):
        if "onboarding" not in page.url:
            break
        with suppress(PlaywrightTimeoutError):
            page.get_by_role(
                "button", name=re.compile(r"^(next|finish)$", re.IGNORECASE)
            ).first.click(timeout=5000)
        page.wait_for_timeout(1500)
    page.wait_for_url(re.compile(r"/(lovelace|home|config)"), timeout=TIMEOUT_MS)


def add_integration(page: Page, ha: str, out: Path) -> Page:
    """Open Add integration, pick Smartcar, enter the credentials and the Application ID.

    The application form (with the permission groups) is shot before it is sent.
    """
    page.goto(f"{ha}/config/integrations/dashboard")
    # A non-default port asks to confirm the HTTP settings once.
    with suppress(PlaywrightTimeoutError):
        page.get_by_role("button", name=re.compile("^confirm$", re.IGNORECASE)).click(
            timeout=5000
        )
    page.get_by_role(
        "button", name=re.compile("add integration", re.IGNORECASE)
    ).click()
    page.get_by_placeholder("Search for a brand name").fill("Smartcar")
    page.get_by_text("Smartcar", exact=True).first.click()
    # No credentials yet: Home Assistant asks for a name and the API client id and secret.
    page.get_by_text(re.compile("client secret", re.IGNORECASE)).first.wait_for()
    inputs = page.locator("input:visible")
    count = inputs.count()
    inputs.nth(count - 3).fill("Smartcar simulator")
    inputs.nth(count - 2).fill(DEMO_CLIENT_ID)
    inputs.nth(count - 1).fill(DEMO_CLIENT_SECRET)
    page.get_by_role("button", name=re.compile("^add$", re.IGNORECASE)).click()
    page.get_by_text("Application ID*").first.wait_for()
    # The Application ID is the form's one text field (mode and permissions are choices).
    page.locator('input:visible:not([type="checkbox"]):not([type="radio"])').last.fill(
        DEMO_APPLICATION_ID
    )
    page.screenshot(path=str(out / "02a-application-form.png"), full_page=True)
    with page.expect_popup() as popup:
        page.get_by_role("button", name=re.compile("^submit$", re.IGNORECASE)).click()
        page.get_by_role("link", name=re.compile("open", re.IGNORECASE)).first.click()
    return popup.value


def connect(popup: Page, out: Path) -> None:
    """Log in on the simulator's Connect page and allow every vehicle (screenshots of both)."""
    popup.wait_for_load_state()
    popup.get_by_label("Email").fill(OWNER_EMAIL)
    popup.get_by_label("Password").fill(DEMO_PASSWORD)
    popup.screenshot(path=str(out / "03a-connect-login.png"), full_page=True)
    popup.get_by_role("button", name="Sign in").click()
    popup.get_by_role("button", name="Allow").wait_for()
    popup.screenshot(path=str(out / "03b-connect-consent.png"), full_page=True)
    popup.get_by_role("button", name="Allow").click()


def finish_and_open_device(page: Page, ha: str) -> None:
    """Close the success dialog and open the EX30's device page; its entities must show."""
    page.get_by_role("button", name=re.compile("finish", re.IGNORECASE)).click(
        timeout=TIMEOUT_MS
    )
    page.goto(f"{ha}/config/devices/dashboard")
    page.get_by_text("Volvo EX30", exact=True).first.click()
    page.get_by_text(re.compile("Battery", re.IGNORECASE)).first.wait_for(
        timeout=TIMEOUT_MS
    )
    page.get_by_text(re.compile("Parked location", re.IGNORECASE)).first.wait_for(
        timeout=TIMEOUT_MS
    )


def overview(page: Page, ha: str, out: Path) -> None:
    """Open the Overview, then its Security summary and Devices view; the cars must show."""
    page.goto(ha)
    page.get_by_text("Security", exact=True).filter(visible=True).first.wait_for(
        timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(1500)
    page.screenshot(path=str(out / "05a-overview-home.png"), full_page=True)
    page.get_by_text("Security", exact=True).filter(visible=True).first.click(
        force=True
    )
    page.get_by_text(re.compile("Volvo EX30")).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(out / "05b-overview-security.png"), full_page=True)
    # The Devices view: its card ignores synthetic clicks on some frontend versions; report,
    # do not fail (the cars' entities are checked on the device page and the car dashboard).
    page.goto(ha)
    with suppress(PlaywrightTimeoutError, PlaywrightError):
        page.locator("hui-area-card, ha-card").filter(has_text="Devices").last.click(
            timeout=5000
        )
        page.get_by_text(re.compile("Volvo EX30")).first.wait_for(timeout=10_000)
    page.wait_for_timeout(2000)


def car_dashboard(page: Page, ha: str) -> None:
    """Open the repository's car dashboard (dashboards/smartcar.yaml)."""
    page.goto(f"{ha}/smartcar-cars/cars")
    page.get_by_text("Volvo XC60 Recharge", exact=True).first.wait_for(
        timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(3000)  # the map's tiles and the history graphs


def lock_and_unlock(page: Page, ha: str, out: Path) -> None:
    """Unlock the EX30 from its tile, see it unlocked, lock it again, see it locked."""
    page.goto(f"{ha}/smartcar-cars/cars")
    tile = page.locator("hui-tile-card").filter(has_text="Lock").first
    tile.wait_for(timeout=TIMEOUT_MS)
    tile.get_by_role("button", name="Unlock", exact=True).click()
    tile.get_by_text("Unlocked", exact=True).wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(out / "08a-unlocked.png"), full_page=True)
    tile.get_by_role("button", name="Lock", exact=True).click()
    tile.get_by_text("Locked", exact=True).wait_for(timeout=TIMEOUT_MS)


def schedule_error(page: Page, ha: str, device_id: str) -> None:
    """Create a schedule whose stop is its start; the translated error must show."""
    page.goto(f"{ha}/developer-tools/action")
    page.get_by_role("button", name=re.compile("yaml mode", re.IGNORECASE)).click()
    editor = page.locator(".cm-content").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(
        "action: smartcar.create_charge_schedule\n"
        "data:\n"
        f"  device_id: {device_id}\n"
        "  type: daily\n"
        '  start_time: "06:00"\n'
        '  stop_time: "06:00"\n'
    )
    page.get_by_role("button", name=re.compile("perform action", re.IGNORECASE)).click()
    page.get_by_text(re.compile("must differ from the start time")).first.wait_for(
        timeout=TIMEOUT_MS
    )


def options(page: Page, ha: str) -> None:
    """Open the integration's options (management token, budget, webhook URL)."""
    page.goto(f"{ha}/config/integrations/integration/smartcar")
    page.get_by_role("button", name=re.compile("configure", re.IGNORECASE)).filter(
        visible=True
    ).first.click()
    page.get_by_text(re.compile("Monthly requests", re.IGNORECASE)).filter(
        visible=True
    ).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)


def main() -> int:
    """Run every step; return 0 when all passed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ha", required=True, help="Home Assistant base URL")
    parser.add_argument(
        "--out", required=True, type=Path, help="folder for screenshots"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wait_for_home_assistant(args.ha)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        steps = Steps(page, args.out)
        try:
            steps.run("onboarding", lambda: onboard(page, args.ha))
            popups: list[Page] = []
            steps.run(
                "add-integration",
                lambda: popups.append(add_integration(page, args.ha, args.out)),
            )
            connect_steps = Steps(popups[0], args.out)
            connect_steps.number = steps.number
            connect_steps.run("smartcar-connect", lambda: connect(popups[0], args.out))
            steps.number = connect_steps.number
            steps.run("device-page", lambda: finish_and_open_device(page, args.ha))
            device_id = page.url.rstrip("/").rsplit("/", 1)[-1]
            steps.run("overview-devices", lambda: overview(page, args.ha, args.out))
            steps.run("car-dashboard", lambda: car_dashboard(page, args.ha))
            steps.run("lock-unlock", lambda: lock_and_unlock(page, args.ha, args.out))
            steps.run(
                "schedule-action-error",
                lambda: schedule_error(page, args.ha, device_id),
            )
            steps.run("options", lambda: options(page, args.ha))
        except Exception as err:  # noqa: BLE001 - report any failed step and fail the run
            print(f"e2e: FAILED at step {steps.number}: {err}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    print("e2e: all steps passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
