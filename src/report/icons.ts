/** Inline SVG icons (no emoji font or image file needed; the CSP allows no images). */
const svg = (body: string, size = 24) =>
  `<svg class="icon" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;

export const ICONS = {
  image: svg(
    '<path fill="currentColor" d="M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5z"/>',
    40,
  ),
  play: svg(
    '<circle cx="12" cy="12" r="11" fill="#0008"/><path fill="#fff" d="M9.5 7.5v9l7-4.5z"/>',
    48,
  ),
  audioPlay: svg('<path fill="currentColor" d="M8 5v14l11-7z"/>', 28),
  mic: svg(
    '<path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9h-2z"/>',
    20,
  ),
  pin: svg(
    '<path fill="#e53935" d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"/>',
    36,
  ),
  link: svg(
    '<path fill="currentColor" d="M14 3v2h3.6l-9.8 9.8 1.4 1.4L19 6.4V10h2V3h-7zm5 16H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-7h-2v7z"/>',
    16,
  ),
  phone: svg(
    '<path fill="currentColor" d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1l-2.3 2.2z"/>',
    16,
  ),
  reply: svg(
    '<path fill="currentColor" d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z"/>',
    16,
  ),
  clock: svg(
    '<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7V7z"/>',
    13,
  ),
  ticks: svg(
    '<path fill="currentColor" d="M17.4 6.6 16 5.2 8.9 12.3l1.4 1.4 7.1-7.1zM21.6 5.2 10.3 16.5 6 12.2l-1.4 1.4 5.7 5.7L23 6.6l-1.4-1.4zM.4 13.6l5.7 5.7 1.4-1.4-5.7-5.7-1.4 1.4z"/>',
    16,
  ),
  // The states of a message (badges and the table of contents).
  retry: svg(
    '<path fill="currentColor" d="M17.65 6.35A7.95 7.95 0 0 0 12 4a8 8 0 1 0 7.75 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z"/>',
    14,
  ),
  pending: svg(
    '<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7V7z"/>',
    14,
  ),
  accepted: svg(
    '<path fill="currentColor" d="M17.4 6.6 16 5.2 8.9 12.3l1.4 1.4 7.1-7.1zM21.6 5.2 10.3 16.5 6 12.2l-1.4 1.4 5.7 5.7L23 6.6l-1.4-1.4zM.4 13.6l5.7 5.7 1.4-1.4-5.7-5.7-1.4 1.4z"/>',
    14,
  ),
  drift: svg(
    '<path fill="currentColor" d="M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/>',
    14,
  ),
  alert: svg(
    '<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15h-2v-2h2v2zm0-4h-2V7h2v6z"/>',
    14,
  ),
  question: svg(
    '<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 17h-2v-2h2v2zm2.07-7.75-.9.92A3.4 3.4 0 0 0 13 15h-2v-.5a4 4 0 0 1 1.17-2.83l1.24-1.26A1.96 1.96 0 0 0 14 9a2 2 0 0 0-4 0H8a4 4 0 0 1 8 0c0 .88-.36 1.68-.93 2.25z"/>',
    14,
  ),
  blocked: svg(
    '<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM4 12a8 8 0 0 1 12.9-6.32L5.68 16.9A7.9 7.9 0 0 1 4 12zm8 8a7.9 7.9 0 0 1-4.9-1.68L18.32 7.1A7.9 7.9 0 0 1 20 12a8 8 0 0 1-8 8z"/>',
    14,
  ),
  paused: svg(
    '<path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1 14H9V8h2v8zm4 0h-2V8h2v8z"/>',
    14,
  ),
  moon: svg(
    '<path fill="currentColor" d="M12 3a9 9 0 1 0 9 9c0-.46-.04-.92-.1-1.36a5.39 5.39 0 0 1-4.4 2.26 5.4 5.4 0 0 1-3.14-9.8c-.44-.06-.9-.1-1.36-.1z"/>',
    14,
  ),
  orphan: svg('<path fill="currentColor" d="M19 13H5v-2h14v2z"/>', 14),
} as const;
