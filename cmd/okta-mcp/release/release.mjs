// Writes the per-release metadata files for build.sh (no dependencies beyond Node):
//
//   node release.mjs manifest TEMPLATE OUT VERSION GOOS GOARCH TOOLS_JSON
//       an MCP Bundle manifest for one OS/arch: TEMPLATE (manifest.json beside this file) with the
//       version, the platform, the binary's name (.exe on Windows) and the tool list of
//       `okta-mcp tools --json --toolsets all` filled in.
//   node release.mjs server-json SERVER_JSON OUT VERSION BASE_URL BUNDLE...
//       the release's server.json for the MCP Registry: SERVER_JSON (the repository's) with the
//       version and image tag set, plus one `mcpb` package per bundle (download URL BASE_URL/<file>,
//       its SHA-256).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [cmd, ...args] = process.argv.slice(2);

// GOOS -> Node's process.platform, the names `compatibility.platforms` accepts.
const platforms = { linux: 'linux', darwin: 'darwin', windows: 'win32' };

function fail(msg) {
  console.error(`release.mjs: ${msg}`);
  process.exit(1);
}

function readJSON(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`${file}: ${e.message}`);
  }
}

function writeJSON(file, value) {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

if (cmd === 'manifest') {
  const [template, out, version, goos, goarch, toolsFile] = args;
  if (!toolsFile) fail('usage: manifest TEMPLATE OUT VERSION GOOS GOARCH TOOLS_JSON');
  const platform = platforms[goos];
  if (!platform) fail(`unknown GOOS ${goos}`);
  const m = readJSON(template);
  const exe = goos === 'windows' ? 'okta-mcp.exe' : 'okta-mcp';
  m.version = version;
  m.compatibility = { ...m.compatibility, platforms: [platform] };
  m.server.entry_point = `server/${exe}`;
  m.server.mcp_config.command = '${__dirname}/server/' + exe;
  const tools = readJSON(toolsFile);
  if (!Array.isArray(tools) || tools.length === 0) fail(`${toolsFile}: no tools`);
  m.tools = tools.map((t) => ({ name: t.name, description: t.title ? `${t.title}: ${firstSentence(t.description)}` : firstSentence(t.description) }));
  m._meta = { ...m._meta, 'io.github.okta-mcp': { goos, goarch } };
  writeJSON(out, m);
} else if (cmd === 'server-json') {
  const [serverJSON, out, version, baseURL, ...bundles] = args;
  if (bundles.length === 0) fail('usage: server-json SERVER_JSON OUT VERSION BASE_URL BUNDLE...');
  const s = readJSON(serverJSON);
  s.version = version;
  for (const p of s.packages ?? []) {
    if (p.registryType === 'oci') p.identifier = p.identifier.replace(/:[^:/]+$/, `:${version}`);
  }
  for (const file of bundles) {
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    s.packages.push({
      registryType: 'mcpb',
      identifier: `${baseURL}/${basename(file)}`,
      version,
      fileSha256: sha,
      transport: { type: 'stdio' },
    });
  }
  writeJSON(out, s);
} else {
  fail(`unknown command ${cmd ?? '(none)'}: manifest or server-json`);
}

function firstSentence(s) {
  const m = String(s ?? '').match(/^.*?[.!?](\s|$)/);
  return (m ? m[0] : String(s ?? '')).trim();
}
