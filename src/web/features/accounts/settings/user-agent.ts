/** What a session list shows for a browser: "Firefox on macOS", and whether it is a phone or tablet. */
export interface DeviceDescription {
  label: string;
  mobile: boolean;
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/HeadlessChrome\//, 'Headless Chrome'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  // Safari says "Version/17.0 Safari/…" (with "Mobile/…" between on iOS); no .* that could backtrack.
  [/Version\/[\d.]+ (?:Mobile\/\w+ )?Safari\//, 'Safari'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/**
 * A readable name for a User-Agent header. Only the common browsers and
 * systems are named; anything else (a script, curl) shows its own product name.
 */
export function describeUserAgent(userAgent: string | null): DeviceDescription {
  if (!userAgent?.trim()) return { label: 'Unknown device', mobile: false };
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const mobile = /Mobi|iPhone|iPad|iPod|Android/.test(userAgent);
  if (browser && system) return { label: `${browser} on ${system}`, mobile };
  if (browser || system) return { label: (browser ?? system)!, mobile };
  const product = /^[\w.-]+/.exec(userAgent.trim())?.[0];
  return { label: product ?? 'Unknown device', mobile: false };
}
