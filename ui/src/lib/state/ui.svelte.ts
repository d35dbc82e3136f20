// Window-wide dialogs that any page can open (adding a client is offered from several places).

import type { Client } from '../api';

class Ui {
  /** The "add client" dialog is open; `then` runs with the new client. */
  addClient = $state.raw<{ then?: (c: Client) => void } | null>(null);

  openAddClient(then?: (c: Client) => void) {
    this.addClient = { then };
  }
}

export const ui = new Ui();
