// Package e2e is the browser gate: Go tests that start the real server with
// the demo data, drive Debian's Chromium with chromedp, run axe-core on every
// page a crawler can reach, check every page with the Nu HTML Checker, walk
// the main flows by keyboard and check reflow at 320 px.
//
// The tools are pinned in package-lock.json; scripts/test-setup-browser
// installs them. With GUICHET_TEST_REQUIRE_BROWSER=1 a missing tool fails
// the tests instead of skipping them.
package e2e
