import helmet from 'helmet';

/**
 * The security headers, by helmet: pages run no script at all (notice text is hostile input, and the CSP makes any
 * that slips through inert). Helmet's own CSP defaults are not taken: `upgrade-insecure-requests` would send a page
 * served over plain HTTP (a development machine, a test) to https for its stylesheet and its forms. The documentation
 * page and the queue dashboard set CSPs of their own over this one.
 */
export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
  // Frames are refused by frame-ancestors; X-Frame-Options says the same to browsers without CSP level 2.
  xFrameOptions: { action: 'deny' },
});
