// Accessibility of the whole UI: axe-core (WCAG 2.1 A and AA, and axe's best practices) over
// every screen, dialog and wizard step, in light and dark, at 100% and 200% zoom; a renewal of
// each kind with the keyboard alone; focus returned where it was when a dialog closes; motion
// that follows the OS's reduced-motion setting. Run: npm --prefix ui run test:e2e

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccessible } from './a11y.mjs';
import { channels, checkClients, checkCredentials, checks, clients, credentials, files, SIGNING_EXPLANATION } from './data.mjs';
import { dropFile, openApp, sharedBrowser, shot, step } from './harness.mjs';

const ACME = '#/clients/Acme%20Corp';
const wizard = '[data-testid="wizard"]';
const cardOf = (kind) => `article[data-kind="${kind}"]`;
const ZOOMS = [1, 2];
const SCHEMES = /** @type {const} */ (['light', 'dark']);

const env = sharedBrowser();

/** Lets the held command answer, once the page has asked it. */
async function release(page) {
  await page.waitForFunction(() => /** @type {any} */ (window).__tkHeld() > 0);
  await page.evaluate(() => /** @type {any} */ (window).__tkRelease());
}

/** The audit in both schemes of the page as it is now. */
async function auditBoth(page, where) {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await assertAccessible(page, `${where} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Runs `visit` once per zoom, each in a fresh page, auditing where it says. */
function atEveryZoom(name, config, opts, visit) {
  for (const zoom of ZOOMS) {
    test(`${name} at ${zoom * 100}%`, { timeout: 90_000 }, async () => {
      const { page, context, errors } = await openApp(env.browser, env.server.url, config, { ...opts, zoom });
      page.setDefaultTimeout(15_000);
      await visit(page, (where) => auditBoth(page, `${where} at ${zoom * 100}%`), zoom);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}

describe('screens', () => {
  atEveryZoom('empty dashboard', { files }, {}, async (page, check) => {
    await page.getByRole('heading', { name: 'Nothing to watch yet' }).waitFor();
    await check('empty dashboard');
  });

  atEveryZoom('dashboard, its tabs and search', { clients, credentials, files }, {}, async (page, check) => {
    await page.locator('[data-testid="credential-list"] a.row').first().waitFor();
    await check('dashboard');
    await page.locator('[data-tab="error"]').click();
    await check('dashboard, Error tab');
    await page.locator('[data-tab="all"]').click();
    await page.getByRole('searchbox', { name: 'Search credentials' }).fill('no such thing');
    await page.getByText('No credential matches “no such thing”.').waitFor();
    await check('dashboard, nothing matches');
  });

  atEveryZoom('clients, client pages, events, settings', { clients, credentials, files }, { hash: '#/clients' }, async (page, check) => {
    await page.getByRole('link', { name: /Northside School/ }).waitFor();
    await check('clients');
    await page.goto(`${page.url().split('#')[0]}${ACME}`);
    await page.locator(cardOf('push_certificate')).waitFor();
    await check('client page (Acme Corp)');
    await page.goto(`${page.url().split('#')[0]}#/clients/Northside%20School`);
    await page.locator('article[data-label="District ASM"]').waitFor();
    await check('client page (Northside School)');
    await page.goto(`${page.url().split('#')[0]}#/events`);
    await page.locator('table.events tbody tr').first().waitFor();
    await check('event log');
    await page.goto(`${page.url().split('#')[0]}#/settings`);
    await page.getByTestId('renewal-window').waitFor();
    await page.getByTestId('reminder-settings').getByTestId('milestone-days').waitFor();
    await check('settings');
  });
});

describe('channels', () => {
  atEveryZoom('Settings → Channels, a failing channel, a failed test and the channel dialogs', { clients, credentials, files, channels }, { hash: '#/settings' }, async (page, check) => {
    const section = page.getByTestId('channels');
    await section.locator('[data-condition="failing"]').waitFor();
    await section.scrollIntoViewIfNeeded();
    await check('channels');
    const teams = section.locator('[data-name="Service desk (Teams)"]');
    await teams.getByRole('button', { name: 'Send test message' }).click();
    await teams.getByRole('alert').waitFor();
    await check('channels, a failed test');

    await section.getByRole('button', { name: 'Add channel…' }).click();
    const add = page.getByRole('dialog', { name: 'Add a channel' });
    await add.getByLabel('Name').waitFor();
    await check('Add channel dialog (e-mail)');
    await add.getByRole('button', { name: 'Add channel' }).click();
    await add.getByText('A channel needs a name.').waitFor();
    await check('Add channel dialog, what is missing');
    await add.getByLabel('Webhook (signed JSON)').check();
    await add.getByLabel('Only these clients').check();
    await add.getByText('A server on a private certificate authority').click();
    await check('Add channel dialog (webhook, some clients)');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await teams.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('dialog', { name: 'Edit Service desk (Teams)' }).waitFor();
    await check('Edit channel dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await teams.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: 'Remove Service desk (Teams)?' }).waitFor();
    await check('Remove channel dialog');
  });
});

describe('checks with Apple on the cards', () => {
  const base = { clients: [...clients, ...checkClients], credentials: [...credentials, ...checkCredentials], files, checks };
  atEveryZoom('every reason a check gives', base, { hash: '#/clients/Harbour%20Clinic' }, async (page, check) => {
    await page.locator('article[data-label="Seaside"]').waitFor();
    await page.getByTestId('check-client').click();
    await page.locator('article[data-label="Riverside"] [data-outcome="could_not_check"]').waitFor();
    await check('Apps and Books checks');
    await page.goto(`${page.url().split('#')[0]}#/clients/Northwind%20Traders`);
    await page.locator('article[data-label="Main ABM"]').waitFor();
    await page.getByTestId('check-client').click();
    await page.locator('article[data-label="Offline ABM"] [data-outcome="could_not_check"]').waitFor();
    await check('ADE checks');
  });
});

describe('dialogs', () => {
  atEveryZoom('client and credential dialogs', { clients, credentials, files }, { hash: ACME }, async (page, check) => {
    await page.locator(cardOf('push_certificate')).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).first().click();
    await page.getByRole('dialog', { name: 'Edit Acme Corp' }).waitFor();
    await check('Edit client dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Remove', exact: true }).first().click();
    await page.getByRole('dialog', { name: 'Remove Acme Corp?' }).waitFor();
    await check('Remove client dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const card = page.locator(cardOf('push_certificate'));
    await card.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByRole('dialog', { name: /^Edit APNs/ }).waitFor();
    await check('Edit credential dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('dialog', { name: /^Remove APNs/ }).waitFor();
    await check('Remove credential dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.locator('[data-nav="clients"]').click();
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('dialog', { name: 'Add a client' }).waitFor();
    await check('Add client dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'About TokenKeeper' }).click();
    await page.getByRole('dialog', { name: 'About TokenKeeper' }).getByTestId('notices-rust').waitFor();
    await check('About dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  atEveryZoom('dialogs of a dropped file', { clients, credentials, files }, {}, async (page, check) => {
    await page.locator('[data-testid="credential-list"] a.row').first().waitFor();
    await dropFile(page, { x: 300, y: 30 }, ['/Users/dana/Downloads/Unknown_Org_Token_smime.p7m']);
    await page.getByRole('dialog', { name: 'Whose is this file?' }).waitFor();
    await check('Whose is this file? dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await dropFile(page, { x: 300, y: 30 }, ['/Users/dana/Pictures/cat.png']);
    await page.getByRole('dialog', { name: 'Not an Apple MDM credential' }).waitFor();
    await check('Not a credential dialog');
  });
});

describe('wizard steps', () => {
  const base = { clients, credentials, files, signingExplanation: SIGNING_EXPLANATION };

  atEveryZoom('APNs guide and CSR', { ...base, saves: ['/Users/dana/Desktop/Acme_APNs.csr'] }, { hash: ACME }, async (page, check) => {
    await page.locator(cardOf('push_certificate')).getByRole('button', { name: 'Renew…' }).click();
    await step(page, 'guide');
    await check('APNs guide');
    await page.getByLabel('Your e-mail address').fill('it@acme.example');
    await page.getByLabel('Country (2 letters)').fill('GB');
    await page.getByTestId('download-csr').click();
    await page.getByTestId('csr-saved').waitFor();
    await check('APNs guide, CSR saved');
  });

  atEveryZoom('ADE guide and key step', { ...base, saves: ['/Users/dana/Desktop/Acme_ABM_public_key.pem'] }, { hash: ACME }, async (page, check) => {
    await page.locator('article[data-label="Cupertino ABM"]').getByRole('button', { name: 'Renew…' }).click();
    await step(page, 'guide');
    await page.getByText("The MDM server's key").click();
    await page.getByTestId('download-public-key').waitFor();
    await check('ADE guide, key step');
    await page.getByTestId('download-public-key').click();
    await page.getByTestId('ade-key-done').waitFor();
    await check('ADE guide, public key saved');
  });

  atEveryZoom('checking, review, confirmation, saved', { ...base, hold: ['plan_import'] }, { hash: ACME }, async (page, check) => {
    await page.locator(cardOf('push_certificate')).waitFor();
    await dropFile(page, cardOf('push_certificate'), ['/Users/dana/Downloads/MDM_ Acme Corp_Certificate (2).pem']);
    await step(page, 'checking');
    await check('wizard, checking the file');
    await release(page);
    await step(page, 'review');
    await check('wizard, review of a renewal');
    await page.getByTestId('save').click();
    await step(page, 'saved');
    await page.getByTestId('export-panel').waitFor();
    await check('wizard, saved with the export panel');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // A fresh store: a certificate for another topic than the one on record.
    await page.reload();
    await page.locator(cardOf('push_certificate')).waitFor();
    await dropFile(page, cardOf('push_certificate'), ['/Users/dana/Downloads/MDM_Created_By_Mistake.pem']);
    await step(page, 'checking');
    await release(page);
    await step(page, 'review');
    await page.getByTestId('confirm-word').fill('RE-ENROLL');
    await check('wizard, a new topic typed confirmation');
  });

  atEveryZoom('a refusal', base, { hash: ACME }, async (page, check) => {
    await page.locator('article[data-label="Austin ABM"]').waitFor();
    await dropFile(page, 'article[data-label="Austin ABM"]', ['/Users/dana/Downloads/Austin_Token_2026-11-20_smime.p7m']);
    await step(page, 'refused');
    await check('wizard, key required');
  });
});

/** Where the focus is, and whether it is drawn (an outline or a ring) where it is. */
async function focused(page) {
  return page.evaluate(() => {
    const el = /** @type {HTMLElement | null} */ (document.activeElement);
    if (!el || el === document.body) return { none: true, visible: false, text: '', what: 'nothing' };
    const cs = getComputedStyle(el);
    const drawn = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    // What it says, as assistive technology reads it: without the parts hidden from it.
    const clone = /** @type {HTMLElement} */ (el.cloneNode(true));
    clone.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    for (const block of clone.querySelectorAll('span, strong, p, div')) block.append(' ');
    const said = clone.textContent ?? '';
    const text = (el.getAttribute('aria-label') || said || /** @type {HTMLInputElement} */ (el).value || '').replace(/\s+/g, ' ').replace(/ ,/g, ',').trim();
    return {
      none: false,
      visible: el.matches(':focus-visible') && drawn,
      tag: el.tagName.toLowerCase(),
      text,
      testid: el.dataset.testid ?? null,
      card: el.closest('article')?.getAttribute('data-label') ?? null,
      inDialog: !!el.closest('dialog'),
      what: `${el.tagName.toLowerCase()} "${text.slice(0, 60)}"`,
    };
  });
}

/** Tab until `wanted` says yes, asserting at every stop that the focus is drawn. */
async function tabTo(page, wanted, what, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f.visible, `the focus is visible at every stop (on ${f.what}, looking for ${what})`);
    if (wanted(f)) return f;
  }
  throw new Error(`${what}: not reached with ${max} Tabs`);
}

/** Enter on the focused element, then the focus must still be somewhere drawn. */
async function enter(page) {
  await page.keyboard.press('Enter');
}

async function assertFocusVisible(page, where) {
  const f = await focused(page);
  assert.ok(f.visible, `${where}: the focus is visible (on ${f.what})`);
  return f;
}

describe('keyboard only', () => {
  const renewals = [
    { kind: 'push_certificate', client: 'Acme Corp', title: 'APNs certificate', label: 'APNs certificate', file: '/Users/dana/Downloads/MDM_ Acme Corp_Certificate (1).pem' },
    { kind: 'server_token', client: 'Beta Dental', title: 'ADE token', label: 'ADE token', file: '/Users/dana/Downloads/Beta_Token_2026-11-02_smime.p7m' },
    { kind: 'content_token', client: 'Acme Corp', title: 'Apps and Books: Main Street', label: 'Main Street', file: '/Users/dana/Downloads/sToken_for_Main Street.vpptoken' },
  ];
  for (const r of renewals) {
    test(`a renewal of ${r.client} "${r.label}" (${r.kind}) from the dashboard to the saved confirmation`, { timeout: 90_000 }, async () => {
      const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, picks: [r.file] });
      page.setDefaultTimeout(15_000);
      await page.locator('[data-testid="credential-list"] a.row').first().waitFor();

      // Dashboard: into the list, arrows to the credential's row, Enter opens its client.
      await tabTo(page, (f) => f.tag === 'a' && f.testid === null && /days? (left|ago)|Expir/.test(f.text) && !f.inDialog, 'the first row of the list');
      for (let i = 0; i < 20; i++) {
        const f = await assertFocusVisible(page, 'a row of the list');
        if (f.text.startsWith(`${r.client}, ${r.title}, `)) break;
        await page.keyboard.press('ArrowDown');
      }
      const row = await focused(page);
      assert.ok(row.text.startsWith(`${r.client}, ${r.title}, `), `the row of ${r.client} ${r.title} reached: ${row.text}`);
      await enter(page);
      await page.getByRole('heading', { level: 1, name: r.client }).waitFor();

      // Client page: Tab to the card's Renew…, Enter opens the wizard.
      await tabTo(page, (f) => f.card === r.label && f.text === 'Renew…', `Renew… of ${r.label}`);
      await enter(page);
      await step(page, 'guide');
      await assertFocusVisible(page, 'the wizard as it opens');

      // The file by the picker, never by dragging.
      await tabTo(page, (f) => f.inDialog && f.text === 'Choose file…', 'Choose file… in the wizard');
      await enter(page);
      await step(page, 'review');
      // The focus follows the new step instead of falling out of the dialog.
      const onReview = await focused(page);
      assert.ok(onReview.inDialog, `the focus stays in the wizard after the file is read (on ${onReview.what})`);
      assert.equal(onReview.testid, 'plan-action', 'the review starts at what will happen');
      assert.equal(await page.getByTestId('plan-action').getAttribute('data-action'), 'renew');

      await tabTo(page, (f) => f.testid === 'save', 'Save');
      await enter(page);
      await step(page, 'saved');
      const onSaved = await focused(page);
      assert.equal(onSaved.testid, 'saved', `the saved message has the focus (on ${onSaved.what})`);
      await tabTo(page, (f) => f.inDialog && f.text === 'Done', 'Done');
      await enter(page);
      await page.getByRole('dialog').waitFor({ state: 'detached' });

      // Back where the renewal started.
      const back = await assertFocusVisible(page, 'after the wizard closes');
      assert.deepEqual([back.card, back.text], [r.label, 'Renew…'], 'the focus is back on the Renew… that opened the wizard');
      await page.locator(`article[data-label="${r.label}"] [data-state="active"]`).waitFor();
      const [imp] = (await page.evaluate(() => /** @type {any} */ (window).__tkCalls)).filter((/** @type {any} */ c) => c.cmd === 'import_file');
      assert.equal(imp.args.args.path, r.file);
      assert.equal(imp.args.confirmation.confirmed, true);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  test('a dialog closed with Escape gives the focus back to what opened it', { timeout: 60_000 }, async () => {
    const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { hash: ACME });
    page.setDefaultTimeout(15_000);
    await page.locator(cardOf('push_certificate')).waitFor();
    for (const name of ['Edit', 'Remove']) {
      await tabTo(page, (f) => f.card === 'Main Street' && f.text === name, `${name} of Main Street`);
      await enter(page);
      await page.getByRole('dialog').waitFor();
      const inside = await focused(page);
      assert.ok(inside.inDialog, `${name}: the focus moves into the dialog (on ${inside.what})`);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      const back = await assertFocusVisible(page, `${name} closed`);
      assert.deepEqual([back.card, back.text], ['Main Street', name]);
    }
    await context.close();
  });

  test('any file without dragging: Open a file… in the sidebar reads and routes it as a drop does', { timeout: 60_000 }, async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { clients, credentials, files, picks: ['/Users/dana/Downloads/Beta_Token_2026-11-02_smime.p7m'] });
    page.setDefaultTimeout(15_000);
    await page.locator('[data-testid="credential-list"] a.row').first().waitFor();
    await tabTo(page, (f) => f.testid === 'open-any', 'Open a file…');
    await enter(page);
    await step(page, 'review');
    assert.match(await page.getByTestId('plan-action').innerText(), /Beta Dental/);
    assert.deepEqual((await page.evaluate(() => /** @type {any} */ (window).__tkCalls)).filter((/** @type {any} */ c) => c.cmd === 'identify_file').map((/** @type {any} */ c) => c.args.path), [
      '/Users/dana/Downloads/Beta_Token_2026-11-02_smime.p7m',
    ]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal((await focused(page)).testid, 'open-any');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('motion and zoom', () => {
  test('the busy spinner turns only when the system does not ask for reduced motion', { timeout: 60_000 }, async () => {
    const spin = {};
    for (const reducedMotion of /** @type {const} */ (['reduce', 'no-preference'])) {
      const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files, hold: ['plan_import'] }, { hash: ACME, reducedMotion });
      page.setDefaultTimeout(15_000);
      await page.locator(cardOf('push_certificate')).waitFor();
      await dropFile(page, cardOf('push_certificate'), ['/Users/dana/Downloads/MDM_ Acme Corp_Certificate (1).pem']);
      await step(page, 'checking');
      spin[reducedMotion] = await page.locator(`${wizard} .spinner`).evaluate((el) => ({
        name: getComputedStyle(el).animationName,
        running: el.getAnimations().filter((a) => a.playState === 'running').length,
      }));
      // The words say what is going on either way.
      assert.match(await page.locator(`${wizard} .busy`).innerText(), /checking it against what is on record/);
      await context.close();
    }
    assert.deepEqual(spin.reduce, { name: 'none', running: 0 });
    assert.equal(spin['no-preference'].running, 1);
  });

  test('the dashboard at 200% zoom, light and dark: every row still says its client, credential, expiry and state', { timeout: 60_000 }, async () => {
    for (const colorScheme of SCHEMES) {
      const { page, context } = await openApp(env.browser, env.server.url, { clients, credentials, files }, { zoom: 2, colorScheme });
      page.setDefaultTimeout(15_000);
      const rows = page.locator('[data-testid="credential-list"] a.row');
      await rows.first().waitFor();
      await page.waitForTimeout(250);
      await shot(page, `60-dashboard-zoom-200-${colorScheme}`);
      // The page scrolls as a whole down to the list, which keeps rows in view.
      await page.locator('[data-testid="credential-list"]').scrollIntoViewIfNeeded();
      await shot(page, `61-dashboard-zoom-200-rows-${colorScheme}`);
      const inView = await page.evaluate(() => [...document.querySelectorAll('[data-testid="credential-list"] a.row')].filter((r) => {
        const box = r.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }).length);
      assert.ok(inView >= 2, `rows in view once scrolled to the list: ${inView}`);
      // Nothing cut off sideways, and the expiry is shown (not hidden) on a narrow row.
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        width: document.documentElement.clientWidth,
        when: [...document.querySelectorAll('[data-testid="credential-list"] a.row .when')].map((w) => /** @type {HTMLElement} */ (w).offsetHeight > 0),
      }));
      assert.ok(layout.scrollWidth <= layout.width, `no sideways scrolling at 200%: ${layout.scrollWidth} > ${layout.width}`);
      assert.ok(layout.when.length > 0 && layout.when.every(Boolean), 'the expiry of every row is visible');
      assert.match(await rows.first().innerText(), /Expir|unknown/);
      await context.close();
    }
  });
});
