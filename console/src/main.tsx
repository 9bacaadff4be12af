// The console's entry: mounts the shell.

import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './console.css';

createRoot(document.getElementById('console')!).render(<App />);
