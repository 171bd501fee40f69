// The SAN view is built beside the console (san/SanView.vue, no props); it is loaded lazily when
// it is there, and in its place a notice says it is missing from this build.
import { defineAsyncComponent, type Component } from 'vue';
import SanMissing from './SanMissing.vue';

const loaders = import.meta.glob<Component>('../san/SanView.vue', { import: 'default' });
const load = Object.values(loaders)[0];

export const SanView: Component = load ? defineAsyncComponent(load) : SanMissing;
