// Browser flows of the keys and the checks with Apple: the CSR step of the APNs wizard (with and
// without an MDM vendor), the export for the MDM, the ADE public key, the keys list, and every
// reason a check with Apple can give, on the cards, light and dark, in artifacts/ui/.
// Run: npm --prefix ui run test:e2e

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkClients, checkCredentials, checks, clients, credentials, files, REASONS, SIGNING_EXPLANATION } from './data.mjs';
import { both, calls, dropFile, openApp, sharedBrowser } from './harness.mjs';

const ACME = '#/clients/Acme%20Corp';
const wizard = '[data-testid="wizard"]';
const card = (label) => `article[data-label="${label}"]`;
const base = { clients: [...clients, ...checkClients], credentials: [...credentials, ...checkCredentials], files, checks, signingExplanation: SIGNING_EXPLANATION };

const env = sharedBrowser();

describe('APNs keys', () => {
  test('without a vendor: Download CSR saves where the user chose and says who signs it', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { ...base, saves: ['/Users/dana/Desktop/Acme_APNs.csr'] }, { hash: ACME });
    await page.locator(card('APNs certificate')).getByRole('button', { name: 'Renew…' }).click();
    const step = page.getByTestId('csr-step');
    await step.waitFor();
    assert.ok(await page.getByTestId('download-csr').isDisabled(), 'nothing to make before the subject is typed');
    await step.getByLabel('Your e-mail address').fill('it@acme.example');
    await step.getByLabel('Country (2 letters)').fill('gb');
    await page.getByTestId('download-csr').click();
    await page.getByTestId('csr-saved').waitFor();
    assert.match(await page.getByTestId('csr-saved').innerText(), /\/Users\/dana\/Desktop\/Acme_APNs\.csr/);
    assert.equal(await page.getByTestId('signing-explanation').innerText(), SIGNING_EXPLANATION);
    assert.equal(await page.getByTestId('download-request').count(), 0, 'no signed request without a vendor');
    const [made] = await calls(page, 'create_push_csr');
    assert.deepEqual(made.args.args, { client: 'Acme Corp', email: 'it@acme.example', country: 'GB', common_name: null, out: '/Users/dana/Desktop/Acme_APNs.csr' });
    assert.equal((await calls(page, 'plugin:dialog|save')).length, 1);
    await both(page, '30-wizard-csr-no-vendor');

    await page.getByTestId('csr-tracked').check();
    assert.match(await page.getByTestId('tracked-note').innerText(), /tracked only|without holding a key/);
    await page.keyboard.press('Escape');
    await page.locator(wizard).waitFor({ state: 'detached' });

    // The key waits on the client page: public facts only.
    const keys = page.getByTestId('keys');
    await keys.getByText('APNs CSR key').waitFor();
    assert.match(await keys.innerText(), /CN=Acme Corp, C=GB, emailAddress=it@acme\.example/);
    assert.doesNotMatch(await page.content(), /PRIVATE KEY/);
    await keys.scrollIntoViewIfNeeded();
    await both(page, '31-keys-list');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('with a vendor: the signed request is saved too', async () => {
    const saves = ['/Users/dana/Desktop/Acme_APNs.csr', '/Users/dana/Desktop/Acme_request.b64'];
    const { page, context, errors } = await openApp(env.browser, env.server.url, { ...base, vendors: ['Example MDM Vendor'], saves }, { hash: ACME });
    await page.locator(card('APNs certificate')).getByRole('button', { name: 'Renew…' }).click();
    await page.getByLabel('Your e-mail address').fill('it@acme.example');
    await page.getByLabel('Country (2 letters)').fill('US');
    await page.getByTestId('download-csr').click();
    await page.getByTestId('download-request').click();
    await page.getByTestId('request-saved').waitFor();
    assert.match(await page.getByTestId('request-saved').innerText(), /signed by “Example MDM Vendor”.*Acme_request\.b64.*identity\.apple\.com/s);
    assert.equal(await page.getByTestId('signing-explanation').count(), 0);
    assert.deepEqual((await calls(page, 'push_request'))[0].args, { client: 'Acme Corp', vendor: null, out: saves[1] });
    await both(page, '32-wizard-csr-vendor-signed');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a vendor certificate kept in Settings signs the next CSR', async () => {
    const config = { ...base, picks: ['/Users/dana/vendor/acme-vendor.p12'], vendorPassword: 'vendor-pass', saves: ['/tmp/a.csr', '/tmp/a.b64'] };
    const { page, context, errors } = await openApp(env.browser, env.server.url, config, { hash: '#/settings' });
    const form = page.getByTestId('vendors');
    await form.getByRole('button', { name: 'Choose .p12…' }).click();
    await form.getByTestId('vendor-password').fill('not it');
    await form.getByLabel('Name').fill('Example MDM Vendor');
    await form.getByRole('button', { name: 'Keep vendor certificate' }).click();
    assert.match(await form.getByRole('alert').innerText(), /password does not open/);
    assert.equal(await form.getByTestId('vendor-password').inputValue(), '', 'a password is not kept after use');
    await form.getByTestId('vendor-password').fill('vendor-pass');
    await form.getByRole('button', { name: 'Keep vendor certificate' }).click();
    await form.getByText('Example MDM Vendor', { exact: true }).waitFor();
    const sent = await calls(page, 'add_vendor');
    assert.deepEqual(sent[1].args, { path: '/Users/dana/vendor/acme-vendor.p12', label: 'Example MDM Vendor', password: 'vendor-pass', chain: [] });
    await form.scrollIntoViewIfNeeded();
    await both(page, '39-settings-vendor');

    await page.goto(env.server.url + ACME);
    await page.locator(card('APNs certificate')).getByRole('button', { name: 'Renew…' }).click();
    await page.getByLabel('Your e-mail address').fill('it@acme.example');
    await page.getByLabel('Country (2 letters)').fill('US');
    await page.getByTestId('download-csr').click();
    await page.getByTestId('download-request').click();
    await page.getByTestId('request-saved').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('after the .pem of a CSR made here is saved, the wizard offers the export for the MDM', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { ...base, saves: ['/Users/dana/Desktop/Acme.pem'] }, { hash: ACME });
    await dropFile(page, card('APNs certificate'), ['/Users/dana/Downloads/MDM_ Acme Corp_Certificate (2).pem']);
    await page.locator(`${wizard}[data-step="review"]`).waitFor();
    await page.getByTestId('save').click();
    await page.locator(`${wizard}[data-step="saved"]`).waitFor();
    const panel = page.locator(wizard).getByTestId('export-panel');
    await panel.getByLabel('PEM bundle (certificate and unencrypted key)').check();
    assert.match(await panel.innerText(), /delete the file/);
    await panel.getByRole('button', { name: 'Export…' }).click();
    await panel.getByText('Saved to').waitFor();
    assert.deepEqual((await calls(page, 'export_certificate'))[0].args, { args: { client: 'Acme Corp', label: 'APNs certificate', format: 'pem', out: '/Users/dana/Desktop/Acme.pem' }, password: null });
    await both(page, '40-wizard-saved-export');
    await page.getByRole('button', { name: 'Done' }).click();
    assert.match(await page.locator(card('APNs certificate')).getByTestId('key-held').innerText(), /In your keychain/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a certificate whose key is held is exported for the MDM with a password', async () => {
    const held = credentials.map((c) => (c.client === 'Acme Corp' && c.kind === 'push_certificate' ? { ...c, key_held: true } : c));
    const { page, context, errors } = await openApp(env.browser, env.server.url, { ...base, credentials: held, saves: ['/Users/dana/Desktop/Acme.p12'] }, { hash: ACME });
    const apns = page.locator(card('APNs certificate'));
    assert.match(await apns.getByTestId('key-held').innerText(), /In your keychain/);
    await apns.getByRole('button', { name: 'Export for your MDM…' }).click();
    const panel = apns.getByTestId('export-panel');
    await panel.getByTestId('export-password').fill('correct horse');
    await panel.getByTestId('export-password-again').fill('correct hors');
    assert.ok(await panel.getByRole('button', { name: 'Export…' }).isDisabled());
    await both(page, '33-export-for-mdm');
    await panel.getByTestId('export-password-again').fill('correct horse');
    await panel.getByRole('button', { name: 'Export…' }).click();
    await panel.getByText('Saved to').waitFor();
    const [sent] = await calls(page, 'export_certificate');
    assert.deepEqual(sent.args, { args: { client: 'Acme Corp', label: 'APNs certificate', format: 'p12', out: '/Users/dana/Desktop/Acme.p12' }, password: 'correct horse' });
    assert.equal(await panel.getByTestId('export-password').inputValue(), '', 'the password is cleared after use');
    // A tracked-only certificate offers no export.
    await page.goto(`${env.server.url}#/clients/Beta%20Dental`);
    await page.locator(card('APNs certificate')).waitFor();
    assert.match(await page.locator(card('APNs certificate')).getByTestId('key-held').innerText(), /Tracked only/);
    assert.equal(await page.getByRole('button', { name: 'Export for your MDM…' }).count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('ADE keys', () => {
  test('Download public key makes a key pair and saves its certificate; an existing key is imported with its password', async () => {
    const config = { ...base, saves: ['/Users/dana/Desktop/Acme_ABM_public_key.pem'], picks: ['/Users/dana/mdm/server.p12'], keyPassword: 'p12-pass' };
    const { page, context, errors } = await openApp(env.browser, env.server.url, config, { hash: ACME });
    await page.locator(card('Cupertino ABM')).getByRole('button', { name: 'Renew…' }).click();
    // A renewal keeps its key: the key step is folded until asked for.
    assert.ok(!(await page.getByTestId('download-public-key').isVisible()));
    await page.getByText("The MDM server's key").click();
    await page.getByTestId('download-public-key').click();
    await page.getByTestId('ade-key-done').waitFor();
    assert.match(await page.getByTestId('ade-key-done').innerText(), /Upload public key/);
    assert.deepEqual((await calls(page, 'create_ade_key'))[0].args, { client: 'Acme Corp', commonName: null, out: config.saves[0] });

    await page.getByText('Use the key your MDM already has').click();
    await page.getByRole('button', { name: 'Choose key file…' }).first().click();
    await page.getByTestId('key-password').fill('wrong');
    await page.getByTestId('import-key').click();
    await page.locator(`${wizard} [role="alert"]`).waitFor();
    assert.match(await page.locator(`${wizard} [role="alert"]`).innerText(), /password does not open/);
    assert.equal(await page.getByTestId('key-password').inputValue(), '', 'a password is not kept after use');
    await page.getByTestId('key-password').fill('p12-pass');
    await page.getByTestId('import-key').click();
    await page.getByText(/Kept the MDM's key/).waitFor();
    const imported = await calls(page, 'import_ade_key');
    assert.deepEqual(imported[1].args, { client: 'Acme Corp', keyPath: '/Users/dana/mdm/server.p12', password: 'p12-pass', certPath: null });
    await both(page, '34-wizard-ade-public-key');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

/** The run's summary toast would cover the last card of a tall screenshot. */
async function dismissToasts(page) {
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

/** The core's reason as the UI shows it: sentence case, a full stop. */
const asShown = (r) => `${r[0].toUpperCase()}${r.slice(1)}.`;
const statusReason = (page, label) => page.locator(card(label)).getByTestId('status-reason').innerText();
const checkReason = (page, label) => page.locator(card(label)).getByTestId('check-reason').innerText();

describe('checks with Apple', () => {
  const outcomes = async (page) =>
    page.locator('article[data-kind]').evaluateAll((cards) =>
      Object.fromEntries(cards.filter((c) => c.querySelector('[data-testid="check"]')).map((c) => [c.dataset.label, c.querySelector('[data-testid="check"]').dataset.outcome])),
    );

  test('every ADE reason: terms, revoked, expired, invalid, access denied, unreachable', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, base, { hash: '#/clients/Northwind%20Traders', height: 3300 });
    await page.locator(card('Main ABM')).waitFor();
    assert.match(await page.locator(card('Main ABM')).getByTestId('check').innerText(), /Not checked yet/);
    await page.getByTestId('check-client').click();
    await page.locator(`${card('Offline ABM')} [data-outcome="could_not_check"]`).waitFor();
    assert.deepEqual(await outcomes(page), {
      'Main ABM': 'ok',
      'Terms ABM': 'problem',
      'Revoked ABM': 'problem',
      'Expired ABM': 'problem',
      'Invalid ABM': 'problem',
      'Denied ABM': 'problem',
      'Offline ABM': 'could_not_check',
    });
    // A problem's reason is the card's Error reason (said once); the others are in the panel.
    assert.equal(await statusReason(page, 'Terms ABM'), asShown(REASONS.terms));
    assert.equal(await statusReason(page, 'Revoked ABM'), asShown(REASONS.revoked));
    assert.equal(await statusReason(page, 'Expired ABM'), asShown(REASONS.expired));
    assert.equal(await statusReason(page, 'Invalid ABM'), asShown(REASONS.invalid));
    assert.equal(await statusReason(page, 'Denied ABM'), asShown(REASONS.denied));
    assert.equal(await checkReason(page, 'Offline ABM'), asShown(REASONS.unreachable));
    for (const label of ['Terms ABM', 'Revoked ABM', 'Expired ABM', 'Invalid ABM', 'Denied ABM']) {
      assert.equal(await page.locator(card(label)).getByTestId('check-reason').count(), 0, `${label}: the reason is not said twice`);
    }
    const ok = await page.locator(card('Main ABM')).getByTestId('check').innerText();
    for (const fact of ['Northwind MDM', 'Northwind Traders Ltd', 'abm-admin@northwind.example', '2f1c9d3a-0b7e-4a55-9f0e-5b2f1c9d3a21']) assert.ok(ok.includes(fact), fact);
    // A problem puts the token in Error (badge and reason on the card); unreachable does not.
    assert.equal(await page.locator(`${card('Terms ABM')} header [data-state]`).getAttribute('data-state'), 'error');
    assert.notEqual(await page.locator(`${card('Offline ABM')} header [data-state]`).getAttribute('data-state'), 'error');
    await dismissToasts(page);
    await both(page, '35-checks-ade-reasons');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('every Apps and Books reason: busy with retry-after, 9621, 9622, 9625, shared uId, expiry disagreement', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, base, { hash: '#/clients/Harbour%20Clinic', height: 3600 });
    await page.locator(card('Seaside')).waitFor();
    // One token checked on its own first, then the whole client.
    await page.locator(card('Seaside')).getByRole('button', { name: 'Check with Apple' }).click();
    await page.locator(`${card('Seaside')} [data-outcome="problem"]`).waitFor();
    assert.equal((await calls(page, 'check_credential')).length, 1);
    await page.getByTestId('check-client').click();
    await page.locator(`${card('Riverside')} [data-outcome="could_not_check"]`).waitFor();
    assert.equal(await statusReason(page, 'Lakeside'), asShown(REASONS.vpp9621));
    assert.equal(await statusReason(page, 'Hillside'), asShown(REASONS.vpp9622));
    assert.equal(await statusReason(page, 'Seaside'), asShown(REASONS.vpp9625));
    assert.match(await checkReason(page, 'Riverside'), /^Could not check: Apple's Apps and Books service is busy and asked to wait until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
    assert.match(await page.locator(card('Riverside')).getByTestId('retry-after').innerText(), /not to be called again before/);
    const warning = (label) => page.locator(card(label)).getByTestId('check-warning').innerText();
    assert.match(await warning('Main Street'), /Harbour Clinic "Main Street \(old\)" is a token for the same location \(uId 2049118\)/);
    assert.match(await warning('Old Town'), /Apple's expiry for this token \(2027-06-01T10:00:00Z\) differs from the file on record/);
    const mainStreet = await page.locator(card('Main Street')).getByTestId('check').innerText();
    for (const fact of ['Main Street', '2049118', 'Claimed by the MDM “Mosyle”', "Apple's expiry"]) assert.ok(mainStreet.includes(fact), fact);
    await dismissToasts(page);
    await both(page, '36-checks-apps-and-books-reasons');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('Check now on the dashboard checks every token and the errors show in the list', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, base);
    await page.getByTestId('check-all').click();
    await page.getByText(/^Checked \d+ tokens: /).waitFor();
    assert.equal((await calls(page, 'check_all')).length, 1);
    await page.getByRole('tab', { name: /Error/ }).click();
    assert.match(await page.locator('main').innerText(), /an Administrator must accept the new terms/);
    await both(page, '37-dashboard-after-check-now');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('settings: Apple addresses for a test server and the daily schedule', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, base, { hash: '#/settings' });
    const form = page.getByTestId('check-settings');
    await form.getByTestId('dep-url').waitFor();
    assert.equal(await form.getByTestId('dep-url').inputValue(), 'https://mdmenrollment.apple.com');
    await form.getByTestId('dep-url').fill('http://example.com:8080');
    await form.getByRole('button', { name: 'Save check settings' }).click();
    await form.getByRole('alert').waitFor();
    assert.match(await form.getByRole('alert').innerText(), /cannot be used as Apple's address/);
    await form.getByTestId('dep-url').fill('http://127.0.0.1:8080');
    await form.getByTestId('check-daily').check();
    await form.getByRole('button', { name: 'Save check settings' }).click();
    await page.getByText('Check settings saved.').waitFor();
    const saved = (await calls(page, 'set_check_settings')).at(-1);
    assert.equal(saved.args.settings.device_assignment_url, 'http://127.0.0.1:8080');
    assert.equal(saved.args.settings.schedule.enabled, true);
    await both(page, '38-settings-checks');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
