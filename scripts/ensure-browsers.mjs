// Before the e2e suite: the browsers it drives come from Debian's packages, never from a download.
// Missing ones are installed when we are root; otherwise the exact install line is printed.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = (process.env.BROWSERS || 'chromium,firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
// Each engine: the files it needs and the package that brings each (WebKit's driver starts the MiniBrowser on Xvfb).
const browsers = {
  chromium: [{ path: process.env.CHROME_PATH || '/usr/bin/chromium', pkg: 'chromium' }],
  firefox: [{ path: process.env.FIREFOX_PATH || '/usr/bin/firefox-esr', pkg: 'firefox-esr' }],
  webkit: [
    { path: process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver', pkg: 'webkit2gtk-driver' },
    { path: '/usr/bin/Xvfb', pkg: 'xvfb' },
  ],
};
const missing = [
  ...new Set(wanted.flatMap((name) => browsers[name] ?? []).filter((need) => !existsSync(need.path)).map((need) => need.pkg)),
];

if (missing.length > 0) {
  const line = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() === 0) {
    console.log(`installing ${missing.join(', ')} from Debian's packages: ${line}`);
    execSync(line, { stdio: 'inherit', shell: '/bin/bash', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.error(`missing browser(s): ${missing.join(', ')}. Install them with:\n  sudo ${line}\nor point CHROME_PATH / FIREFOX_PATH / WEBKIT_DRIVER_PATH at an installed binary, or choose engines with BROWSERS=chromium,firefox.`);
    process.exit(1);
  }
}
