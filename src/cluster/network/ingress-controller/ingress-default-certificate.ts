// The HTTPS listener's default certificate, served to names no TLS Secret covers: RSA, like every
// certificate createSelfSignedCertificate makes (ingress-tls.ts says why).
import {createSelfSignedCertificate, type PemPair} from '../ingress/ingress-tls.js'

/** ingress-nginx's name for its default certificate, so users recognise it. */
export const FAKE_CERTIFICATE_NAME = 'Kubernetes Ingress Controller Fake Certificate'

/** The listener's default certificate. */
export function createDefaultCertificate(): Promise<PemPair> {
  return createSelfSignedCertificate({commonName: FAKE_CERTIFICATE_NAME, hosts: ['ingress.local']})
}
