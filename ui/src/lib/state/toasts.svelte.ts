// Short confirmations ("Saved"), read out by screen readers through a polite live region.

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'warning';
}

class Toasts {
  list = $state<Toast[]>([]);
  #next = 1;

  show(text: string, tone: Toast['tone'] = 'info', ms = 5000) {
    const id = this.#next++;
    this.list = [...this.list, { id, text, tone }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number) {
    this.list = this.list.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
