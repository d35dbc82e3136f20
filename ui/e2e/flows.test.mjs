// Browser flows of the TokenKeeper UI: the built app in headless Chromium, IPC mocked with
// @tauri-apps/api/mocks over an in-page fake backend. Screenshots of every screen, light and
// dark, go to artifacts/ui/. Run: npm --prefix ui run test:e2e

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clients, COUNTS, credentials, files, OTHER_TOPIC, TOPIC } from './data.mjs';
import { both, calls, dropFile, openApp, sharedBrowser, shot, step } from './harness.mjs';

const ACME = '#/clients/Acme%20Corp';
const zoneOf = (kind) => `[data-section="${kind}"] [data-drop-zone][role="group"]`;
const cardOf = (kind) => `article[data-kind="${kind}"]`;
const wizard = '[data-testid="wizard"]';

const env = sharedBrowser();

describe('first run', () => {
  test('empty state -> add client -> drop a push certificate -> confirm -> dashboard shows it Active', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { files });
    await page.getByRole('heading', { name: 'Nothing to watch yet' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Add your first client, then drop the files Apple gave you/);
    await both(page, '01-dashboard-empty');

    await page.getByRole('button', { name: 'Add your first client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a client' });
    await dialog.getByLabel('Name').fill('Acme Corp');
    await dialog.getByLabel('Notes').fill('MDM: Jamf Pro. Contact: Dana Whitfield (IT lead).');
    await both(page, '02-add-client');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('heading', { name: 'No credentials yet' }).waitFor();

    await page.getByRole('link', { name: 'Open your clients' }).click();
    await page.getByRole('link', { name: /Acme Corp/ }).click();
    await page.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    await both(page, '03-client-empty');

    // A new certificate: one column, "This file".
    await dropFile(page, zoneOf('push_certificate'), ['/Users/dana/Downloads/MDM_ Acme Corp_Certificate.pem']);
    await step(page, 'review');
    assert.equal(await page.getByTestId('plan-action').getAttribute('data-action'), 'new');
    assert.ok(await page.getByRole('columnheader', { name: 'This file' }).isVisible());
    await page.locator(wizard).getByLabel('Apple Account used in the portal').fill('it@acme.example');
    await page.getByRole('button', { name: 'Check again' }).click();
    await step(page, 'review');
    await both(page, '04-wizard-new');
    await page.getByTestId('save').click();
    await step(page, 'saved');
    assert.match(await page.getByTestId('after-save').innerText(), /ask Acme Corp to check that devices still answer/);
    assert.equal(await page.getByTestId('export-panel').count(), 0, 'tracked only: nothing to export');
    await both(page, '05-wizard-saved');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator(`${cardOf('push_certificate')} [data-state="active"]`).waitFor();

    // Its renewal, dropped on the card: old and new side by side before saving.
    await dropFile(page, cardOf('push_certificate'), ['/Users/dana/Downloads/MDM_ Acme Corp_Certificate (1).pem']);
    await step(page, 'review');
    assert.equal(await page.getByTestId('plan-action').getAttribute('data-action'), 'renew');
    assert.ok(await page.getByRole('columnheader', { name: 'On record now' }).isVisible());
    assert.ok(await page.getByRole('columnheader', { name: 'After saving' }).isVisible());
    const expires = page.locator('tr[data-field="Expires"] td');
    const [was, will] = await expires.allInnerTexts();
    assert.notEqual(was, will.replace(/changed$/, '').trim());
    assert.match(await page.locator('tr[data-field="Expires"]').innerText(), /changed/);
    assert.match(await page.locator('tr[data-field="Push topic"]').innerText(), new RegExp(TOPIC.replace(/\./g, '\\.')));
    assert.match(await page.locator('tr[data-field="Apple Account"]').innerText(), /it@acme\.example\s+it@acme\.example/);
    await both(page, '06-wizard-renewal-side-by-side');
    await page.getByTestId('save').click();
    await step(page, 'saved');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.match(await page.locator(cardOf('push_certificate')).innerText(), /History \(2 versions\)/);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const row = page.locator('[data-testid="credential-list"] a.row').first();
    await row.waitFor();
    // Its accessible name is its visible text, read in parts.
    assert.equal(await row.getAttribute('aria-label'), null);
    const name = await page.getByRole('link', { name: /^Acme Corp, APNs certificate, com\.apple\.mgmt\.External\.\S+, Expires .+, \d+ days left, Active$/ }).count();
    assert.equal(name, 1);
    assert.equal(await row.locator('[data-state]').innerText(), 'Active');
    await both(page, '07-dashboard-first-credential');

    // Only the clients page fetched the list of clients; the reloads after each save did not.
    assert.equal((await calls(page, 'list_clients')).length, 1);
    const imports = await calls(page, 'import_file');
    assert.equal(imports.length, 2);
    assert.deepEqual(imports[0].args.confirmation, { confirmed: true, accept_new_identity: false });
    assert.equal(imports[0].args.args.apple_account, 'it@acme.example');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('dropping never surprises', () => {
  test('a .vpptoken dropped on the APNs zone is named and routed to Apps and Books', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    await page.locator(cardOf('push_certificate')).waitFor();
    await both(page, '08-client-page');
    await dropFile(page, zoneOf('push_certificate'), ['/Users/dana/Downloads/sToken_for_Main Street.vpptoken']);
    await step(page, 'review');
    assert.equal(await page.locator(wizard).getAttribute('data-kind'), 'content_token');
    assert.match(await page.getByTestId('wizard-notice').innerText(), /^This is an Apps and Books token, not an APNs push certificate\./);
    // It renews the location of the same organisation, never adds a second token.
    assert.equal(await page.getByTestId('plan-action').getAttribute('data-action'), 'renew');
    assert.match(await page.locator(wizard).getByRole('heading', { level: 3 }).first().innerText(), /Apps and Books: Main Street/);
    await both(page, '09-wrong-zone-routed');
    await page.getByTestId('save').click();
    await step(page, 'saved');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator(`article[data-label="Main Street"] [data-state="active"]`).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a file dropped outside any client is matched to its client, or the user chooses', async () => {
    const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files });
    await page.locator('[data-testid="credential-list"] a.row').first().waitFor();
    // The dashboard never holds the list of every client: the clients' count comes with its rows.
    assert.equal((await calls(page, 'list_clients')).length, 0);

    // Known by identity: straight to Beta Dental's ADE renewal, the client asked for by name.
    await dropFile(page, { x: 600, y: 40 }, ['/Users/dana/Downloads/Beta_Token_2026-11-02_smime.p7m']);
    await step(page, 'review');
    assert.match(await page.getByRole('dialog').getAttribute('aria-labelledby').then((id) => page.locator(`#${id}`).innerText()), /Beta Dental/);
    assert.deepEqual((await calls(page, 'get_client')).at(-1).args, { name: 'Beta Dental' });
    assert.equal((await calls(page, 'list_clients')).length, 0);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // Unknown: whose is it?
    await dropFile(page, { x: 600, y: 40 }, ['/Users/dana/Downloads/Unknown_Org_Token_smime.p7m']);
    const chooser = page.getByRole('dialog', { name: 'Whose is this file?' });
    await chooser.waitFor();
    assert.match(await chooser.getByTestId('file-description').innerText(), /is an ADE server token/);
    await both(page, '10-choose-client');
    // The chooser lists every client: it holds the list while it is open, and only then.
    assert.equal((await calls(page, 'list_clients')).length, 1);
    await chooser.getByLabel('Gamma Legal').check();
    await chooser.getByRole('button', { name: 'Continue' }).click();
    await step(page, 'review');
    assert.match(await page.getByTestId('plan-action').innerText(), /New: ADE token for Gamma Legal/);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // Not a credential at all.
    await dropFile(page, { x: 600, y: 40 }, ['/Users/dana/Pictures/cat.png']);
    const problem = page.getByRole('dialog', { name: 'Not an Apple MDM credential' });
    await problem.waitFor();
    assert.match(await problem.getByTestId('file-error').innerText(), /This is a PNG image/);
    await both(page, '11-not-a-credential');
    await page.keyboard.press('Escape');
    await problem.waitFor({ state: 'detached' });
    await context.close();
  });
});

describe('a new push topic is never accepted silently', () => {
  test('a plan warning new_topic needs RE-ENROLL typed before accept_new_identity is sent', async () => {
    const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    await page.locator(cardOf('push_certificate')).waitFor();
    await dropFile(page, cardOf('push_certificate'), ['/Users/dana/Downloads/MDM_Created_By_Mistake.pem']);
    await step(page, 'review');
    const warning = page.locator('[data-warning="new_topic"]');
    assert.match(await warning.innerText(), /every enrolled device would have to re-enroll/);
    assert.match(await warning.innerText(), /signed in with the Apple Account it@acme\.example/);
    const save = page.getByTestId('save');
    assert.equal(await save.isDisabled(), true);
    await page.getByTestId('confirm-word').fill('yes');
    assert.equal(await save.isDisabled(), true);
    await page.getByTestId('confirm-word').fill('RE-ENROLL');
    await both(page, '12-new-topic-confirmation');
    assert.equal(await save.isDisabled(), false);
    await save.click();
    await step(page, 'saved');
    const [imp] = await calls(page, 'import_file');
    assert.deepEqual(imp.args.confirmation, { confirmed: true, accept_new_identity: true });
    await page.getByRole('button', { name: 'Done' }).click();
    assert.match(await page.locator(cardOf('push_certificate')).innerText(), new RegExp(OTHER_TOPIC.replace(/\./g, '\\.')));
    await context.close();
  });

  test('an identity_changed refusal at save time explains itself and needs the typed word', async () => {
    const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    await page.locator(cardOf('push_certificate')).waitFor();
    await dropFile(page, cardOf('push_certificate'), ['/Users/dana/Downloads/MDM_Other_Account.pem']);
    await step(page, 'review');
    await page.getByTestId('save').click();
    await step(page, 'refused');
    const refusal = page.getByTestId('refusal');
    assert.equal(await refusal.getAttribute('data-error-kind'), 'identity_changed');
    assert.match(await refusal.innerText(), /A new topic: every device would re-enroll/);
    assert.match(await refusal.innerText(), /Renew the row whose topic is/);
    const save = page.getByTestId('save');
    assert.equal(await save.innerText(), 'Save anyway');
    assert.equal(await save.isDisabled(), true);
    await page.getByTestId('confirm-word').fill('re-enroll');
    await both(page, '13-identity-changed-refusal');
    await save.click();
    await step(page, 'saved');
    const imports = await calls(page, 'import_file');
    assert.deepEqual(
      imports.map((c) => c.args.confirmation.accept_new_identity),
      [false, true],
    );
    await context.close();
  });
});

describe('refusals explain the way out', () => {
  test('an ADE token that needs its key: choose the key, or type the expiry ABM shows', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, picks: ['/Users/dana/keys/austin-mdm.key'] }, { hash: ACME });
    await page.locator(`article[data-label="Austin ABM"]`).waitFor();
    await dropFile(page, 'article[data-label="Austin ABM"]', ['/Users/dana/Downloads/Austin_Token_2026-11-20_smime.p7m']);
    await step(page, 'refused');
    const refusal = page.getByTestId('refusal');
    assert.equal(await refusal.getAttribute('data-error-kind'), 'key_required');
    assert.match(await refusal.innerText(), /A private key is needed/);
    assert.match(await refusal.innerText(), /choose the private key of the certificate uploaded to this MDM server/);
    await both(page, '21-key-required');
    await refusal.getByRole('button', { name: 'Choose key file…' }).click();
    await step(page, 'review');
    const plans = await calls(page, 'plan_import');
    assert.equal(plans.at(-1).args.args.key_path, '/Users/dana/keys/austin-mdm.key');
    assert.equal(plans.at(-1).args.args.label, 'Austin ABM');
    // The fake shell reads no file, so the expiry stays unknown: the date ABM shows, typed.
    await page.getByLabel('Expiry shown in Apple Business Manager').fill('2027-11-20');
    await page.getByRole('button', { name: 'Check again' }).click();
    await step(page, 'review');
    assert.equal((await calls(page, 'plan_import')).at(-1).args.args.expires_at, '2027-11-20T23:59:59Z');
    assert.match(await page.locator('tr[data-field="Expires"]').innerText(), /unknown\s+20 Nov 2027/);
    await page.getByTestId('save').click();
    await step(page, 'saved');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('article[data-label="Austin ABM"] [data-state="active"]').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('dashboard', () => {
  test('tabs count, arrow keys move between tabs, search filters as you type', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files });
    const rows = page.locator('[data-testid="credential-list"] a.row');
    await rows.first().waitFor();
    const count = async (tab) => Number((await page.locator(`[data-tab="${tab}"] .count`).innerText()).replace(/\D/g, ''));
    for (const [tab, n] of Object.entries(COUNTS)) assert.equal(await count(tab), n, tab);
    assert.equal(await rows.count(), COUNTS.all);
    // Most urgent first: the two errors, then lapsed.
    const states = await page.locator('[data-testid="credential-list"] [data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    assert.deepEqual(states.slice(0, 4), ['error', 'error', 'lapsed', 'expired']);
    await both(page, '14-dashboard');

    await page.locator('[data-tab="all"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('[data-tab="renewal_required"]').getAttribute('aria-selected'), 'true');
    assert.equal(await rows.count(), COUNTS.renewal_required);
    await page.keyboard.press('ArrowRight');
    assert.equal(await rows.count(), COUNTS.expired);
    assert.deepEqual(await page.locator('[data-testid="credential-list"] [data-state]').allInnerTexts(), ['Lapsed', 'Expired']);
    await page.keyboard.press('End');
    assert.equal(await rows.count(), COUNTS.error);
    assert.match(await rows.first().innerText(), /Expiry unknown: import the token with its private key/);
    await page.keyboard.press('Home');

    const search = page.getByRole('searchbox', { name: 'Search credentials' });
    await search.pressSequentially('acme');
    assert.equal(await rows.count(), 5);
    assert.equal(await count('all'), 5);
    assert.equal(await count('error'), 1);
    await search.fill('harbour');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Apps and Books: Harbour/);
    await search.fill('com.apple.mgmt.External.c0ffee');
    assert.match(await rows.first().innerText(), /Gamma Legal/);
    await search.fill('no such thing');
    await page.getByText('No credential matches “no such thing”.').waitFor();
    await page.getByRole('button', { name: 'Clear the search' }).click();
    assert.equal(await rows.count(), COUNTS.all);

    // Rows are keyboard reachable: arrows move, Enter opens the client.
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-index'));
    assert.equal(focused, '2');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Beta Dental' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('10,000 credentials: first render and keystrokes over the fake shell (measured, printed)', async () => {
    // The rows come a window at a time from the fake shell's index, as from the real one
    // (commands/dashboard.rs); the real window's figures come from `npm run bench:app`.
    const { page, context } = await openApp(env.browser, env.server.url, { bulk: 10_000 });
    const rows = page.locator('[data-testid="credential-list"] a.row');
    const firstRenders = [];
    // Three loads: the machine is shared, one figure alone says little.
    for (let load = 0; load < 3; load++) {
      if (load > 0) await page.reload();
      await rows.first().waitFor();
      firstRenders.push(
        await page.evaluate(() => {
          const one = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
          return { data_to_rows: one('tk:dashboard-rendered') - one('tk:credentials-loaded'), page_to_rows: one('tk:dashboard-rendered') };
        }),
      );
    }
    const figures = await page.evaluate(async () => {
      const rendered_rows = document.querySelectorAll('[data-testid="credential-list"] a.row').length;
      const total = Number(document.querySelector('[data-tab="all"] .count')?.textContent?.replace(/\D/g, ''));
      // A macrotask: every promise of the mocked IPC round trip and Svelte's update run before it.
      const flush = () =>
        new Promise((ok) => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => ok(undefined);
          ch.port2.postMessage(null);
        });
      const list = () => /** @type {HTMLElement} */ (document.querySelector('[data-testid="credential-list"]'));

      // Back to the dashboard from another page: the whole list view mounts again, laid out.
      const remounts = [];
      for (let i = 0; i < 3; i++) {
        location.hash = '#/settings';
        await new Promise((ok) => setTimeout(ok, 50));
        const t0 = performance.now();
        location.hash = '#/';
        while (!document.querySelector('[data-testid="credential-list"] a.row')) await new Promise((ok) => setTimeout(ok, 0));
        void list().offsetHeight;
        remounts.push(performance.now() - t0);
      }

      // Keystrokes: input event -> filtered, re-rendered and laid out (three rounds).
      const input = /** @type {HTMLInputElement} */ (document.getElementById('search'));
      const keystrokes = [];
      for (let round = 0; round < 3; round++) {
        for (const text of ['a', 'ac', 'acm', 'acme', 'acme d', 'acme de', 'acme den', 'acme de', 'acme', 'dental', 'com.apple', '']) {
          await new Promise((ok) => setTimeout(ok, 20));
          const start = performance.now();
          input.value = text;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await flush();
          void list()?.offsetHeight;
          keystrokes.push({ round, text, ms: performance.now() - start, rows: document.querySelector('[data-tab="all"] .count')?.firstChild?.textContent });
        }
      }
      // Scrolling far down keeps the DOM small.
      list().scrollTop = 400_000;
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      const after_scroll = document.querySelectorAll('[data-testid="credential-list"] a.row').length;
      // A new search from far down starts again at the top.
      input.value = 'dental';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (document.getElementById('credentials-panel')?.dataset.search !== 'dental') await flush();
      await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
      const top_after_search = { scroll: list().scrollTop, first: list().querySelector('a.row')?.getAttribute('data-index') };
      // Every row again, for End below.
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (document.getElementById('credentials-panel')?.dataset.search !== '') await flush();
      return { rendered_rows, total, remounts, keystrokes, after_scroll, top_after_search };
    });
    const ms = (v) => `${v.toFixed(1)} ms`;
    const sortedMs = (list) => [...list].sort((a, b) => a - b);
    const median = (list) => sortedMs(list)[Math.floor(list.length / 2)];
    const keyMs = figures.keystrokes.map((k) => k.ms);
    const load = (await import('node:os')).loadavg()[0];
    console.log(`# 10,000 rows (machine load ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores): ${figures.total} credentials, ${figures.rendered_rows} rows in the DOM (${figures.after_scroll} after scrolling)`);
    console.log(`# first render, first window of rows received -> list rendered: ${firstRenders.map((f) => ms(f.data_to_rows)).join(', ')} (median ${ms(median(firstRenders.map((f) => f.data_to_rows)))})`);
    console.log(`# page start -> list rendered (includes the fake backend making 10,000 rows): ${firstRenders.map((f) => ms(f.page_to_rows)).join(', ')}`);
    console.log(`# dashboard remount (hash change -> rows laid out): ${figures.remounts.map(ms).join(', ')}`);
    console.log(`# keystroke (input -> filtered, rendered, laid out), ${keyMs.length} keystrokes: median ${ms(median(keyMs))}, 90th percentile ${ms(sortedMs(keyMs)[Math.floor(keyMs.length * 0.9)])}, worst ${ms(Math.max(...keyMs))}, ${keyMs.filter((v) => v < 16).length}/${keyMs.length} under 16 ms`);
    for (const k of figures.keystrokes.filter((k) => k.round === 2)) console.log(`#   "${k.text}" -> ${k.rows} matches in ${ms(k.ms)}`);
    assert.equal(figures.total, 10_000);
    assert.ok(figures.rendered_rows < 60, `windowed: ${figures.rendered_rows} rows in the DOM`);
    assert.ok(figures.after_scroll < 60);
    assert.deepEqual(figures.top_after_search, { scroll: 0, first: '0' });
    // End jumps to the last of the 10,000 rows: the shell sends that window, the row takes the focus.
    await page.locator('[data-testid="credential-list"]').evaluate((el) => (el.scrollTop = 0));
    await rows.first().focus();
    await page.keyboard.press('End');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-index') === '9999');
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-index') === '0');
    const asked = await page.evaluate(() => /** @type {any} */ (window).__tkCalls.filter((/** @type {any} */ c) => c.cmd === "dashboard").map((/** @type {any} */ c) => c.args.query.limit));
    assert.ok(Math.max(...asked) <= 100, `the window asks for a few screens of rows at a time: ${asked}`);
    await both(page, '15-dashboard-10000');
    await context.close();
  });
});

describe('the other screens', () => {
  test('renewal guide shows the Apple Account and the topic, and opens the right portal', async () => {
    const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    await page.locator(cardOf('push_certificate')).getByRole('button', { name: 'Renew…' }).click();
    await step(page, 'guide');
    assert.equal(await page.getByTestId('apple-account').innerText(), 'it@acme.example');
    assert.match(await page.getByTestId('target-identity').innerText(), new RegExp(TOPIC.replace(/\./g, '\\.')));
    assert.match(await page.getByTestId('caution').innerText(), /never Create a Certificate/);
    assert.match(await page.locator('.steps').innerText(), /Sign in as it@acme\.example/);
    await both(page, '16-wizard-guide-apns');
    await page.getByTestId('open-portal').click();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.goto(env.server.url + '#/clients/Northside%20School');
    await page.locator(`article[data-label="District ASM"]`).getByRole('button', { name: 'Renew…' }).click();
    await step(page, 'guide');
    assert.match(await page.locator('.steps').innerText(), /Apple School Manager/);
    await both(page, '17-wizard-guide-ade');
    await page.getByTestId('open-portal').click();
    const opened = (await calls(page, 'plugin:opener|open_url')).map((c) => c.args.url);
    assert.deepEqual(opened, ['https://identity.apple.com', 'https://school.apple.com']);

    // The picker inside the wizard: a chosen file goes through the same checks as a drop.
    await page.evaluate(() => /** @type {any} */ (window).__tkPicks.push('/Users/dana/Downloads/sToken_for_Main Street.vpptoken'));
    await page.locator(wizard).getByRole('button', { name: 'Choose file…' }).click();
    await page.getByTestId('wizard-notice').waitFor();
    assert.match(await page.getByTestId('wizard-notice').innerText(), /This is an Apps and Books token, not an ADE server token/);
    await context.close();
  });

  test('clients, events and settings', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: '#/clients' });
    await page.getByRole('link', { name: /Northside School/ }).waitFor();
    await both(page, '18-clients');

    await page.getByRole('link', { name: 'Event log' }).click();
    await page.locator('table.events tbody tr').first().waitFor();
    await page.getByTestId('event-client').selectOption('Acme Corp');
    await page.waitForFunction(() => [...document.querySelectorAll('table.events tbody tr td:nth-child(2)')].every((td) => td.textContent?.trim() === 'Acme Corp'));
    await both(page, '19-events');
    const events = await calls(page, 'list_events');
    assert.deepEqual(events.at(-1).args.query, { kinds: [], limit: 300, client: 'Acme Corp' });
    await page.getByTestId('event-kind').selectOption('imports');
    await page.waitForFunction(() => [...document.querySelectorAll('table.events tbody tr')].every((tr) => ['imported', 'renewed'].includes(tr.getAttribute('data-kind') ?? '')));

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId('renewal-window').fill('45');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Settings saved.').waitFor();
    assert.match(await page.locator('main').innerText(), /Vendors report/);
    await both(page, '20-settings');
    const [set] = await calls(page, 'set_settings');
    assert.deepEqual(set.args, { thresholds: { renewal_window_days: 45, grace_days: 30 } });

    // Edit a client; remove a credential. A client's page asks for its client by name, without
    // listing every client.
    const listed = (await calls(page, 'list_clients')).length;
    await page.goto(env.server.url + ACME);
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    assert.equal((await calls(page, 'list_clients')).length, listed);
    assert.deepEqual((await calls(page, 'get_client')).at(-1).args, { name: 'Acme Corp' });
    const edit = page.getByRole('dialog', { name: 'Edit Acme Corp' });
    await edit.getByLabel('Apple School Manager').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Apple School Manager · 5 credentials').waitFor();
    await page.locator('article[data-label="Harbour"]').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: /Remove Apps and Books: Harbour/ }).getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Apple School Manager · 4 credentials').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a part of the window that does not load says so, and Try again opens it', async () => {
    const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    await page.locator(cardOf('push_certificate')).waitFor();
    // A damaged install: the chunks of the settings page and of the wizard cannot be read.
    const broken = ['**/assets/Settings-*.js', '**/assets/RenewalWizard-*.js'];
    for (const glob of broken) await page.route(glob, (route) => route.abort());

    await dropFile(page, zoneOf('push_certificate'), ['/Users/dana/Downloads/MDM_ Acme Corp_Certificate.pem']);
    const dialog = page.getByRole('dialog', { name: 'Could not open' });
    await dialog.getByText('This window could not be opened.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Settings' }).click();
    const unavailable = page.getByTestId('unavailable');
    await unavailable.getByText('This page could not be opened.').waitFor();
    await shot(page, '27-part-not-loaded');
    for (const glob of broken) await page.unroute(glob);
    await unavailable.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('renewal-window').waitFor();
    assert.equal(await unavailable.count(), 0);
    await context.close();
  });

  test('reminders: milestones, snooze, start at login offered after the first credential', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files });
    const offer = page.getByTestId('autostart-offer');
    await offer.waitFor();
    await both(page, '21-autostart-offer');
    await offer.getByRole('button', { name: 'Start at login' }).click();
    await offer.waitFor({ state: 'detached' });
    assert.deepEqual((await calls(page, 'set_autostart')).map((c) => c.args), [{ enabled: true }]);

    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByTestId('reminder-settings');
    await form.getByTestId('milestone-days').waitFor();
    assert.equal(await form.getByTestId('milestone-days').inputValue(), '30, 14, 7, 3, 1');
    assert.equal(await page.getByTestId('autostart').isChecked(), true);
    await form.getByTestId('milestone-days').fill('7, 60, x');
    await form.getByRole('button', { name: 'Save reminders' }).click();
    await form.getByRole('alert').filter({ hasText: '"x" is not a whole number of days.' }).waitFor();
    assert.equal((await calls(page, 'set_milestones')).length, 0, 'nothing sent while the list is wrong');
    await form.getByTestId('milestone-days').fill('7, 60 30');
    await form.getByTestId('grace-every').fill('0');
    await form.getByRole('button', { name: 'Save reminders' }).click();
    await page.getByText('Reminder milestones saved.').waitFor();
    assert.deepEqual((await calls(page, 'set_milestones')).at(-1).args, {
      milestones: { days_before: [60, 30, 7], grace_every_days: 0, grace_daily_last_days: 7 },
    });
    assert.match(await form.getByTestId('milestones-summary').innerText(), /^60, 30, 7 days before expiry, on the day, daily in its last 7 days/);
    await form.getByTestId('snooze').click();
    await form.getByTestId('snoozed').waitFor();
    assert.deepEqual((await calls(page, 'snooze_reminders')).at(-1).args, { hours: 24 });
    await both(page, '22-reminder-settings');
    await form.getByRole('button', { name: 'Resume reminders' }).click();
    await form.getByTestId('snooze').waitFor();
    assert.deepEqual((await calls(page, 'snooze_reminders')).at(-1).args, { hours: 0 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a file opened with the app (command line, second launch) lands in the confirmation flow', async () => {
    const opened = '/Users/dana/Downloads/MDM_ Acme Corp_Certificate (1).pem';
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, openedFiles: [opened] });
    await step(page, 'review');
    assert.deepEqual((await calls(page, 'identify_file')).map((c) => c.args), [{ path: opened }]);
    await shot(page, '23-opened-file-review');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('about', () => {
  test('About TokenKeeper: version, licence, notices of the crates and npm packages, with a filter', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, version: '0.1.0' });
    const open = page.getByRole('button', { name: 'About TokenKeeper' });
    await open.waitFor();
    // Keyboard: the link is reachable and opens the dialog with Enter.
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'About TokenKeeper' });
    await dialog.waitFor();
    await dialog.getByTestId('notices-rust').waitFor();
    assert.equal(await dialog.getByTestId('about-version').innerText(), 'Version 0.1.0');
    assert.equal((await calls(page, 'plugin:app|version')).length, 1);
    assert.match(await dialog.getByTestId('about-license').innerText(), /MIT License or Apache License 2\.0.*MIT OR Apache-2\.0/s);
    // The filter has the focus, so a screen reader lands on it and typing filters at once.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'notices-filter');
    for (const name of ['tauri', 'rusqlite', 'openssl']) {
      assert.ok(await dialog.getByTestId('notices-rust').getByRole('rowheader', { name, exact: true }).isVisible(), `crate ${name} listed`);
    }
    const svelte = dialog.getByTestId('notices-npm').getByRole('row', { name: /^svelte / });
    assert.match(await svelte.innerText(), /MIT License/);
    await both(page, '24-about');

    await page.keyboard.type('openssl');
    await dialog.getByTestId('notices-count').filter({ hasText: /of \d+ packages match/ }).waitFor();
    const rows = await dialog.getByTestId('notices-rust').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-name')));
    assert.ok(rows.includes('openssl') && rows.includes('openssl-src') && rows.every((n) => n?.includes('openssl')), rows.join(', '));
    assert.match(await dialog.getByRole('row', { name: /^openssl-src / }).innerText(), /OpenSSL [\d.]+ built from source[\s\S]*macOS and Windows only/);
    assert.match(await dialog.innerText(), /No npm packages match “openssl”/);
    await both(page, '25-about-filtered');

    // A full licence name finds its packages too.
    await dialog.getByTestId('notices-filter').fill('Mozilla Public');
    await dialog.getByTestId('notices-count').filter({ hasText: /match/ }).waitFor();
    const mpl = await dialog.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.ok(mpl.length > 0 && mpl.every((t) => t.includes('MPL-2.0')), mpl.join(' | '));

    // The licences in use, each a shortcut for the filter; the filter stays in view on scroll.
    await dialog.getByTestId('notices-filter').fill('');
    await dialog.getByText(/^Licences in use/).click();
    await dialog.getByRole('button', { name: /packages under Mozilla Public License 2\.0/ }).click();
    assert.equal(await dialog.getByTestId('notices-filter').inputValue(), 'MPL-2.0');
    await dialog.getByTestId('notices-filter').fill('apache');
    await dialog.locator('.body').evaluate((el) => el.scrollTo(0, 300));
    assert.ok(await dialog.getByTestId('notices-filter').isVisible());
    await both(page, '26-about-licences-scrolled');
    await dialog.getByTestId('notices-filter').focus();
    await dialog.getByTestId('notices-filter').fill('Mozilla Public');

    // Esc in the filter clears it (the search field's own behaviour); Esc again closes.
    await page.keyboard.press('Escape');
    assert.equal(await dialog.getByTestId('notices-filter').inputValue(), '');
    assert.ok(await dialog.isVisible());
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'about-open', 'focus back on the link');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('MDM', () => {
  test('Connect MDM: the vendor form asks what it needs, Test reports, Save syncs, the card shows source and disagreement', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    const section = page.locator('[data-testid="mdm-connections"]');
    await section.getByText('No MDM connected').waitFor();
    await section.getByRole('button', { name: 'Connect MDM…' }).click();
    const dialog = page.getByRole('dialog', { name: /Connect Acme Corp's MDM/ });
    // Intune asks for a tenant and a client id; Fleet does not, but needs an address.
    await dialog.locator('[data-testid="mdm-tenant"]').waitFor();
    await dialog.locator('[data-testid="mdm-vendor"]').selectOption('fleet');
    assert.equal(await dialog.locator('[data-testid="mdm-tenant"]').count(), 0);
    assert.equal(await dialog.locator('[data-testid="mdm-client-id"]').count(), 0);
    assert.equal(await dialog.locator('[data-testid="mdm-url"]').getAttribute('required'), '');
    await dialog.locator('[data-testid="mdm-vendor"]').selectOption('intune');
    await dialog.locator('[data-testid="mdm-tenant"]').fill('tenant-0001');
    await dialog.locator('[data-testid="mdm-client-id"]').fill('app-1');
    await dialog.locator('[data-testid="mdm-secret"]').fill('wrong');
    await dialog.getByRole('button', { name: 'Test' }).click();
    assert.match(await dialog.locator('[data-testid="mdm-test-result"]').innerText(), /refused TokenKeeper's credentials/);
    await dialog.locator('[data-testid="mdm-secret"]').fill('s3cret-value');
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.getByText('Read: 1 push certificate(s), 1 ADE token(s), 1 Apps and Books token(s).').waitFor();
    await both(page, '40-connect-mdm');
    await dialog.getByRole('button', { name: 'Save and sync' }).click();
    await section.locator('[data-testid="mdm-last-sync"]').waitFor();
    assert.match(await section.innerText(), /Acme Corp Intune/);
    const card = page.locator(cardOf('push_certificate'));
    await card.locator('[data-testid="source"]', { hasText: 'File and MDM: Acme Corp Intune (Intune)' }).waitFor();
    assert.match(await card.locator('[data-testid="status-reason"]').innerText(), /Intune still holds the one expiring .*: upload the renewed certificate to Intune/);
    await both(page, '41-mdm-disagreement');
    // The secret went in once and never came back.
    const shown = JSON.stringify(await page.evaluate(() => /** @type {any} */ (window).__tkCalls));
    const answers = await page.evaluate(async () => JSON.stringify(await /** @type {any} */ (window).__TAURI_INTERNALS__.invoke('mdm_connections')));
    assert.doesNotMatch(answers, /s3cret-value/);
    assert.ok(shown.length > 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('channels', () => {
  const SECRETS = ['SECRET-WEBHOOK-TOKEN-4711', 'SECRET-SIGNING-KEY-0815', 'SECRET-SMTP-PASSWORD-1234', 'SECRET-NEW-TOKEN-9999'];

  test('Settings → Channels: add a webhook and an e-mail channel, test (one fails, clearly), see it failing, edit, remove; a client’s threshold and contact; no secret ever shown or answered', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: '#/settings' });
    const section = page.getByTestId('channels');
    await section.getByText('No channels yet').waitFor();
    const card = (name) => section.locator(`[data-testid="channel"][data-name="${name}"]`);

    // A generic webhook, for one client; the form says what is missing before sending anything.
    await section.getByRole('button', { name: 'Add channel…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add a channel' });
    await dialog.getByLabel('Webhook (signed JSON)').check();
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.getByText('A channel needs a name.').waitFor();
    await dialog.getByText('Paste the webhook address.').waitFor();
    assert.equal(await dialog.getByLabel('Webhook address').getAttribute('aria-invalid'), 'true');
    assert.equal(await dialog.getByLabel('Webhook address').getAttribute('type'), 'password');
    assert.equal((await calls(page, 'add_channel')).length, 0, 'nothing sent while the form is incomplete');
    await dialog.getByLabel('Name').fill('Ticketing');
    await dialog.getByLabel('Webhook address').fill(`http://hooks.tickets.example/services/${SECRETS[0]}`);
    await dialog.getByLabel('Signing key (optional)').fill(SECRETS[1]);
    await dialog.getByLabel('Only these clients').check();
    await dialog.getByRole('group', { name: 'Clients this channel serves' }).getByLabel('Acme Corp').check();
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    // The shell refuses http:// to another computer, without repeating the address.
    await dialog.getByRole('alert').getByText(/must use https:\/\//).waitFor();
    await dialog.getByLabel('Webhook address').fill(`https://hooks.tickets.example/services/${SECRETS[0]}`);
    await dialog.getByLabel('Signing key (optional)').fill(SECRETS[1]);
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card('Ticketing').waitFor();
    assert.equal(await card('Ticketing').getByTestId('channel-target').innerText(), 'https://hooks.tickets.example');
    assert.equal(await card('Ticketing').getByTestId('channel-clients').innerText(), 'Acme Corp');
    assert.equal(await card('Ticketing').getByTestId('channel-condition').innerText(), 'Nothing sent yet');

    // An e-mail channel whose server cannot be reached.
    await section.getByRole('button', { name: 'Add channel…' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a channel' });
    await dialog.getByLabel('E-mail').check();
    await dialog.getByLabel('Name').fill('NOC e-mail');
    await dialog.getByLabel('SMTP server').fill('smtp.msp.invalid');
    await dialog.getByLabel('Account (optional)').fill('alerts@msp.example');
    await dialog.getByLabel('From').fill('tokenkeeper@msp.example');
    await dialog.getByLabel('To').fill('noc@msp.example, not-an-address');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.getByText('Type the server as smtp://HOST:PORT').waitFor();
    await dialog.getByText('Not an e-mail address: not-an-address.').waitFor();
    await dialog.getByText('An SMTP account needs its password.').waitFor();
    await dialog.getByLabel('SMTP server').fill('smtp://smtp.msp.invalid:587');
    await dialog.getByLabel('To').fill('noc@msp.example, dana@msp.example');
    await dialog.getByLabel('Password').fill(SECRETS[2]);
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card('NOC e-mail').waitFor();
    assert.equal(await card('NOC e-mail').getByTestId('channel-target').innerText(), 'smtp.msp.invalid:587 (STARTTLS) to noc@msp.example, dana@msp.example');
    assert.equal(await card('NOC e-mail').getByTestId('channel-clients').innerText(), 'All clients');

    // Tests: the webhook delivers; the e-mail fails with the reason, then shows as failing.
    await card('Ticketing').getByRole('button', { name: 'Send test message' }).click();
    await card('Ticketing').getByTestId('channel-test-result').getByText('Test message delivered to Ticketing.').waitFor();
    await page.locator('[data-name="Ticketing"][data-condition="working"]').waitFor();
    assert.equal(await card('Ticketing').getByTestId('channel-condition').innerText(), 'Working');
    await card('NOC e-mail').getByRole('button', { name: 'Send test message' }).click();
    const failure = card('NOC e-mail').getByRole('alert');
    await failure.getByText('The test message to "NOC e-mail" failed: the SMTP server smtp.msp.invalid:587 could not be reached: no such host.').waitFor();
    await page.locator('[data-name="NOC e-mail"][data-condition="failed_once"]').waitFor();
    assert.equal(await card('NOC e-mail').getByTestId('channel-condition').innerText(), 'Last attempt failed');
    await card('NOC e-mail').getByRole('button', { name: 'Send test message' }).click();
    await page.locator('[data-name="NOC e-mail"][data-condition="failing"]').waitFor();
    assert.equal(await card('NOC e-mail').getByTestId('channel-condition').innerText(), 'Failing');
    assert.match(await card('NOC e-mail').getByRole('alert').innerText(), /^Failing: 2 attempts in a row failed\.\s+The test message to "NOC e-mail" failed: the SMTP server smtp\.msp\.invalid:587 could not be reached: no such host\.$/);
    await section.scrollIntoViewIfNeeded();
    await both(page, '50-channels-test-failed');
    // The failing state stays when the screen is opened again, with the last failure's reason.
    await page.locator('[data-nav="dashboard"]').click();
    await page.locator('[data-nav="settings"]').click();
    await page.locator('[data-name="NOC e-mail"][data-condition="failing"]').waitFor();
    assert.equal(await card('NOC e-mail').getByTestId('channel-test-result').count(), 0);
    assert.match(await card('NOC e-mail').getByTestId('channel-last-failure').innerText(), /^Failing: 2 attempts in a row failed\.\s+Last failure .+: The SMTP server smtp\.msp\.invalid:587 could not be reached: no such host\.$/);
    assert.match(await card('NOC e-mail').innerText(), /Failing/);
    await card('NOC e-mail').scrollIntoViewIfNeeded();
    await both(page, '50-channels-failing');

    // Edit the e-mail channel: the password left blank is kept; the server is fixed.
    await card('NOC e-mail').getByRole('button', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit NOC e-mail' });
    assert.equal(await dialog.getByLabel('SMTP server').inputValue(), 'smtp://smtp.msp.invalid:587');
    assert.equal(await dialog.getByLabel('Password').inputValue(), '', 'a stored secret is never shown');
    await dialog.getByText('Leave it blank to keep the stored one.').first().waitFor();
    await dialog.getByLabel('SMTP server').fill('smtps://smtp.msp.example');
    await both(page, '51-channel-edit');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await card('NOC e-mail').getByTestId('channel-target').innerText(), 'smtp.msp.example:465 (TLS) to noc@msp.example, dana@msp.example');
    const edit = (await calls(page, 'update_channel')).at(-1);
    assert.equal(edit.args.secrets.password, null, 'blank: keep the stored password');
    await card('NOC e-mail').getByRole('button', { name: 'Send test message' }).click();
    await card('NOC e-mail').getByText('Test message delivered to NOC e-mail.').waitFor();
    await page.locator('[data-name="NOC e-mail"][data-condition="working"]').waitFor();

    // A new webhook address replaces the old one; the signing key stays.
    await card('Ticketing').getByRole('button', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Ticketing' });
    await dialog.getByLabel('Webhook address').fill(`https://desk.example.net/broken/${SECRETS[3]}`);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await card('Ticketing').getByTestId('channel-target').innerText(), 'https://desk.example.net');
    await card('Ticketing').getByRole('button', { name: 'Send test message' }).click();
    await card('Ticketing').getByRole('alert').getByText(/failed: the receiver failed \(500\); it is tried again\./).waitFor();

    // Remove asks first.
    await card('Ticketing').getByRole('button', { name: 'Remove' }).click();
    dialog = page.getByRole('dialog', { name: 'Remove Ticketing?' });
    await dialog.getByText('Alerts stop going to https://desk.example.net.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await card('Ticketing').waitFor();
    await card('Ticketing').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove Ticketing?' }).getByRole('button', { name: 'Remove channel' }).click();
    await card('Ticketing').waitFor({ state: 'detached' });
    assert.deepEqual((await calls(page, 'remove_channel')).map((c) => c.args.name), ['Ticketing']);

    // A client's warning threshold and contact, with the client.
    await page.locator('[data-nav="clients"]').click();
    await page.getByRole('link', { name: /Acme Corp/ }).click();
    await page.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    dialog = page.getByRole('dialog', { name: 'Edit Acme Corp' });
    const threshold = dialog.getByLabel('Warning threshold');
    assert.equal(await threshold.inputValue(), '');
    assert.deepEqual(await threshold.locator('option').allInnerTexts(), ["Default (the vault's 30 days)", '30 days', '45 days', '60 days', '90 days']);
    await threshold.selectOption('60');
    await dialog.getByLabel('Contact e-mail (optional)').fill('it at acme');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('“it at acme” is not an e-mail address.').waitFor();
    await dialog.getByLabel('Contact e-mail (optional)').fill('it@acme.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual((await calls(page, 'update_client')).at(-1).args.alerting, { warn_days: 60, contact_email: 'it@acme.example' });
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    dialog = page.getByRole('dialog', { name: 'Edit Acme Corp' });
    await page.waitForFunction(() => /** @type {HTMLSelectElement|null} */ (document.querySelector('[data-testid="client-warn-days"]'))?.value === '60');
    assert.equal(await dialog.getByLabel('Contact e-mail (optional)').inputValue(), 'it@acme.example');
    // Saved again unchanged: the alerting is left as it is (no second audit-log entry).
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await calls(page, 'update_client')).at(-1).args.alerting, null);

    // The secrets went in once and never came back: not in any answer, not in the page.
    const answers = await page.evaluate(() => JSON.stringify(/** @type {any} */ (window).__tkAnswers));
    const channelAnswers = await page.evaluate(() => /** @type {any} */ (window).__tkAnswers.filter((a) => a.cmd.includes('channel')).length);
    assert.ok(channelAnswers >= 10, `channel answers recorded: ${channelAnswers}`);
    const html = await page.content();
    await page.locator('[data-nav="settings"]').click();
    await card('NOC e-mail').waitFor();
    const settingsHtml = await page.content();
    const inputs = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((i) => /** @type {HTMLInputElement} */ (i).value).join('\n'));
    for (const secret of SECRETS) {
      assert.ok(!answers.includes(secret), `an IPC answer holds ${secret}`);
      assert.ok(!html.includes(secret) && !settingsHtml.includes(secret) && !inputs.includes(secret), `the page holds ${secret}`);
    }
    const sent = JSON.stringify(await calls(page, 'add_channel'));
    assert.ok(sent.includes(SECRETS[0]) && sent.includes(SECRETS[2]), 'the secrets did go to the shell');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('team', () => {
  test('Settings → Team: this computer’s file, then a team’s server with its members and fingerprints; no password shown', async () => {
    let { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: '#/settings' });
    let section = page.getByTestId('team-settings');
    await section.getByText('This computer’s own file').waitFor();
    await section.getByText('team init --name YOUR-NAME').waitFor();
    assert.equal(await section.getByTestId('team-members').count(), 0);
    assert.deepEqual(errors, []);
    await context.close();

    const team = {
      database: 'postgres://tk@db.example.org:5432/tokenkeeper?sslmode=verify-full',
      me: 'Alice Martin',
      members: [
        { name: 'Alice Martin', recipient: 'age1alice', fingerprint: 'A1B2 C3D4 E5F6 0718 293A', added_at: '2026-11-02T09:00:00Z', added_by: null },
        { name: 'Bob Okafor', recipient: 'age1bob', fingerprint: '9F8E 7D6C 5B4A 3928 1706', added_at: '2026-11-20T14:30:00Z', added_by: 'Alice Martin' },
      ],
    };
    ({ page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, team }, { hash: '#/settings' }));
    section = page.getByTestId('team-settings');
    await section.getByTestId('team-members').waitFor();
    assert.equal(await section.getByTestId('team-database').textContent(), team.database);
    assert.equal(await section.getByTestId('team-me').textContent(), 'Alice Martin');
    const rows = section.getByTestId('team-members').locator('tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).textContent(), /Alice Martin \(you\).*A1B2 C3D4 E5F6 0718 293A/);
    assert.match(await rows.nth(1).textContent(), /Bob Okafor.*9F8E 7D6C.*by Alice Martin/);
    await section.getByText('2 members').waitFor();
    await section.scrollIntoViewIfNeeded();
    await both(page, '60-team-settings');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the team’s server away: a banner says since when and what is shown, every change is refused with why, and it goes once the server is back', async () => {
    const team = { database: 'postgres://tk@db.example.org:5432/tokenkeeper?sslmode=verify-full', me: 'Alice Martin' };
    const connection = { away_since: '2026-12-04T13:02:00Z', shown_as_of: '2026-12-04T12:58:00Z' };
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, team, connection });
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor();
    assert.equal(await banner.getAttribute('role'), 'status', 'announced without taking the focus');
    const said = await banner.innerText();
    assert.match(said, /unreachable since 4 Dec 2026, 13:02/);
    assert.match(said, /last known state, as copied on 4 Dec 2026, 12:58/);
    assert.match(said, /read only/);
    assert.match(said, /reconnects by itself/);
    assert.ok(said.includes(team.database));
    // The last known state is there to read.
    await page.locator('[data-uid]').first().waitFor();
    await both(page, '63-team-server-away');

    // A change is refused, saying why; nothing changes.
    await page.getByRole('link', { name: /^Clients/ }).click();
    await banner.waitFor();
    await page.getByRole('button', { name: 'Add client' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a client' });
    await dialog.getByLabel('Name').fill('Globex');
    await dialog.getByRole('button', { name: 'Add client' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /unreachable since 2026-12-04 13:02.*reconnects by itself/s);
    await shot(page, '64-team-server-away-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // On another page too, until the server is back.
    await page.getByRole('link', { name: 'Event log' }).click();
    await banner.waitFor();
    await page.evaluate(() => /** @type {any} */ (window).__tkReconnect());
    await banner.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
