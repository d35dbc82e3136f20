// A narrow window (a laptop's at 200% zoom): below 760 CSS pixels the sidebar becomes a bar and
// the lists give each row more lines. The stylesheets' media queries use the same width.

import { MediaQuery } from 'svelte/reactivity';

export const narrow = new MediaQuery('(max-width: 760px)');
