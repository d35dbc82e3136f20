import { expect, test } from 'vitest';
import { osName } from '../src/lib/platform';

test('the system is told from the web view’s user agent', () => {
  // WKWebView, WebView2, WebKitGTK.
  expect(osName('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBe('macos');
  expect(osName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0')).toBe('windows');
  expect(osName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBe('linux');
  expect(osName('')).toBe('linux');
});
