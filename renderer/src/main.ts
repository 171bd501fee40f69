// Renderer entry: the Vue application of the operator UI.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useApi } from './api/client';
import './style.css';

// Connect first: the browser host's token leaves the address bar before anything renders.
useApi();
createApp(App).use(createPinia()).mount('#app');
