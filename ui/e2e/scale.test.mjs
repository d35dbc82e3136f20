// The window over 2,500 clients (10,000 credentials of the fake shell's generated data): the
// lists of every client draw only what is in view and stay usable by keyboard. The real window's
// figures at 25,000 clients come from `npm run bench:app`. Run: npm --prefix ui run test:e2e

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { files } from './data.mjs';
import { both, calls, dropFile, openApp, sharedBrowser, step } from './harness.mjs';

const env = sharedBrowser();

describe('2,500 clients', () => {
  test('2,500 clients: the clients page draws the rows in view, scrolls to any, finds by name, and Tab walks on', async () => {
    for (const zoom of [1, 2]) {
      const { page, context, errors } = await openApp(env.browser, env.server.url, { bulk: 10_000 }, { hash: '#/clients', zoom });
      const links = page.locator('ul.clients a.client');
      await links.first().waitFor();
      const measure = () =>
        page.evaluate(() => {
          const items = [...document.querySelectorAll('ul.clients li')];
          const pos = items.map((li) => Number(li.getAttribute('aria-posinset')));
          const main = /** @type {HTMLElement} */ (document.querySelector('main'));
          const box = main.getBoundingClientRect();
          // Every row in view is drawn, at its place, on the lines it has.
          const inView = items.filter((li) => {
            const r = li.getBoundingClientRect();
            return r.bottom > box.top && r.top < box.bottom;
          });
          const clipped = inView.filter((li) => {
            const a = /** @type {HTMLElement} */ (li.querySelector('a'));
            return a.scrollHeight > a.clientHeight + 1;
          }).length;
          return { drawn: items.length, first: Math.min(...pos), last: Math.max(...pos), set: Number(items[0].getAttribute('aria-setsize')), inView: inView.length, clipped, bottom: main.scrollHeight - main.clientHeight - main.scrollTop };
        });
      const top = await measure();
      assert.equal(top.set, 2500);
      assert.equal(top.first, 1);
      assert.ok(top.drawn < 60, `only the rows near the view are drawn (${top.drawn})`);
      assert.equal(top.clipped, 0);
      await both(page, zoom === 1 ? '21-clients-2500' : '21-clients-2500-zoom-200');

      // The last client, at the bottom of the page, drawn where the list says it is.
      await page.evaluate(() => {
        const main = /** @type {HTMLElement} */ (document.querySelector('main'));
        main.scrollTop = main.scrollHeight;
      });
      await page.locator('ul.clients li[aria-posinset="2500"]').waitFor();
      const end = await measure();
      assert.equal(end.last, 2500);
      assert.ok(end.bottom <= 1, 'the list is as tall as its rows');
      assert.ok(end.inView > 3 && end.clipped === 0);
      const lastName = await page.locator('ul.clients li[aria-posinset="2500"] .name').innerText();
      const names = (await page.evaluate(() => /** @type {any} */ (window).__TAURI_INTERNALS__.invoke('list_clients'))).map((/** @type {{ name: string }} */ c) => c.name);
      assert.equal(lastName, names.at(-1));

      // Finding by name narrows the list to the matches, from the top.
      await page.getByPlaceholder('Find a client').fill('Zenith Dental');
      await page.waitForFunction(() => document.querySelectorAll('ul.clients li[aria-setsize]')[0]?.getAttribute('aria-setsize') !== '2500');
      const found = names.filter((n) => n.toLowerCase().includes('zenith dental'));
      assert.ok(found.length > 0);
      assert.deepEqual(await links.locator('.name').allInnerTexts(), found.slice(0, (await links.count())));
      assert.equal(Number(await page.locator('ul.clients li').first().getAttribute('aria-setsize')), found.length);

      // Tab walks from row to row past the rows first drawn.
      await page.getByPlaceholder('Find a client').fill('');
      await page.locator('ul.clients li[aria-posinset="1"] a').focus();
      for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset')), '41');
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  test("2,500 clients: 'Whose is this file?' draws the choices in view, and the arrow keys move past them", async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { bulk: 10_000, files });
    await page.locator('[data-testid="credential-list"] a.row').first().waitFor();
    await dropFile(page, { x: 600, y: 40 }, ['/Users/dana/Downloads/Unknown_Org_Token_smime.p7m']);
    const chooser = page.getByRole('dialog', { name: 'Whose is this file?' });
    const radios = chooser.locator('input[type=radio]');
    await radios.first().waitFor();
    assert.ok((await radios.count()) < 30, `only the choices near the view are drawn (${await radios.count()})`);
    const names = (await page.evaluate(() => /** @type {any} */ (window).__TAURI_INTERNALS__.invoke('list_clients'))).map((/** @type {{ name: string }} */ c) => c.name);
    await radios.first().check();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => /** @type {HTMLInputElement} */ (document.activeElement)?.value);
    assert.equal(focused, names[30]);
    assert.equal(await chooser.locator('input[type=radio]:checked').getAttribute('value'), names[30]);
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => /** @type {HTMLInputElement} */ (document.activeElement)?.value), names[29]);
    await both(page, '22-choose-client-2500');
    await chooser.getByPlaceholder('Find a client').fill('Zenith Dental Leeds');
    await chooser.getByLabel('Zenith Dental Leeds', { exact: true }).check();
    await chooser.getByRole('button', { name: 'Continue' }).click();
    await step(page, 'review');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('2,500 clients: a channel for some of them draws the clients in view, Tab walks on, and the choice is sent', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { bulk: 10_000 }, { hash: '#/settings' });
    await page.getByTestId('channels').getByRole('button', { name: 'Add channel…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a channel' });
    await dialog.getByLabel('Webhook (signed JSON)').check();
    await dialog.getByLabel('Name').fill('Ticketing');
    await dialog.getByLabel('Webhook address').fill('https://hooks.tickets.example/services/T0K3N');
    await dialog.getByLabel('Only these clients').check();
    const group = dialog.getByRole('group', { name: 'Clients this channel serves' });
    const boxes = group.locator('input[type=checkbox]');
    await boxes.first().waitFor();
    assert.ok((await boxes.count()) < 30, `only the clients near the view are drawn (${await boxes.count()})`);
    const names = (await page.evaluate(() => /** @type {any} */ (window).__TAURI_INTERNALS__.invoke('list_clients'))).map((/** @type {{ name: string }} */ c) => c.name);
    await boxes.first().check();
    for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => /** @type {HTMLInputElement} */ (document.activeElement)?.value), names[40]);
    await page.keyboard.press('Space');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual((await calls(page, 'add_channel'))[0].args.form.clients, [names[0], names[40]]);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('2,500 clients: the event log’s client is typed, with the first matches offered', async () => {
    const { page, context, errors } = await openApp(env.browser, env.server.url, { bulk: 10_000 }, { hash: '#/events' });
    const field = page.getByTestId('event-client');
    await field.waitFor();
    assert.equal(await field.evaluate((el) => el.tagName), 'INPUT');
    await field.fill('zenith dental');
    assert.deepEqual(await page.locator('#event-clients option').evaluateAll((o) => o.map((x) => /** @type {HTMLOptionElement} */ (x).value)), ['Zenith Dental', 'Zenith Dental Leeds']);
    await field.fill('zenith dental leeds');
    await field.press('Enter');
    await page.waitForFunction(() => /** @type {any} */ (window).__tkCalls.some((c) => c.cmd === 'list_events' && c.args.query.client === 'Zenith Dental Leeds'));
    assert.equal(await field.inputValue(), 'Zenith Dental Leeds');
    // A name nobody has says so, and the log shows everyone's.
    await field.fill('Nobody Ltd');
    await field.press('Enter');
    await page.getByText('There is no client named “Nobody Ltd”').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await both(page, '23-events-2500-unknown-client');
    assert.equal((await calls(page, 'list_events')).at(-1).args.query.client, undefined);
    await field.fill('');
    await page.getByText('There is no client named').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
