# Debian's Chromium, for the dashboard's browser test (playwright-core drives it; no browser
# download is needed). Installed by the stack, never started by it.

chromium_install() {
  [ -x /usr/bin/chromium ] || stack_apt_install chromium
}
