// Renderer entry: the Vue application of the operator console (Pinia stores, vue-i18n in the
// remembered or the system's language).
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useApi } from './api/client';
import { createConsoleI18n } from './i18n';
import { initialLocale } from './i18n/locale';
import './style.css';

// Connect first: the browser host's token leaves the address bar before anything renders.
useApi();
createApp(App).use(createPinia()).use(createConsoleI18n({ locale: initialLocale() })).mount('#app');
