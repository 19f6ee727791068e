// The one line `ringguard serve` prints when it cannot start: what failed and how to fix it.

const PRIVILEGED = 1024;

export function explainStartError(
  err: Error & { code?: string },
  cfg: { trapHost: string; trapPort: number; httpHost: string; httpPort: number },
): string {
  const what = `${err.code ? `${err.code} ` : ''}${err.message}`;
  if (err.code === 'EACCES' && /\b(bind|listen)\b/.test(err.message)) {
    const ports = [
      cfg.trapPort < PRIVILEGED ? `udp ${cfg.trapHost}:${cfg.trapPort}` : '',
      cfg.httpPort > 0 && cfg.httpPort < PRIVILEGED ? `tcp ${cfg.httpHost}:${cfg.httpPort}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return (
      `cannot start: ${what}: ${ports || 'the port'} is privileged (below ${PRIVILEGED}): run it as the systemd unit deploy/ringguard.service ` +
      '(AmbientCapabilities=CAP_NET_BIND_SERVICE), or grant the capability once with `sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")"`, ' +
      'or keep --trap-port 1162 and redirect udp/162 to it (`nft add rule ip nat prerouting udp dport 162 redirect to :1162`)'
    );
  }
  if (err.code === 'EADDRINUSE')
    return `cannot start: ${what}: another process holds the port (\`ss -lunp | grep ${cfg.trapPort}\`, \`ss -ltnp | grep ${cfg.httpPort}\`); stop it or pick another port`;
  return `cannot start: ${what}`;
}
