// Size fixture: a development or admin page that shows <crossroute-panel> (with the client reads it uses).
import { definePanel } from 'crossroute/panel';

definePanel();
