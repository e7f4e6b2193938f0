// Container images of a Solo Istio install. Solo publishes its builds under its own registry
// with a `-solo` version suffix; ztunnel and CNI use the distroless variants.
export const SOLO_HUB = 'us-docker.pkg.dev/soloio-img/istio';

export function istioImage(component: 'pilot' | 'ztunnel' | 'install-cni' | 'proxyv2', version: string): string {
  return component === 'pilot' ? `${SOLO_HUB}/pilot:${version}` : `${SOLO_HUB}/${component}:${version}-distroless`;
}
