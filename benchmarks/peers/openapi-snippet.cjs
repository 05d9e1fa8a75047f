// Every operation of a definition through openapi-snippet, to C# (HttpClient), Python
// (requests) and R (httr). Prints one JSON line: operations, snippets, failures, bytes.
// Usage: node openapi-snippet.cjs DEFINITION.json
'use strict';
const fs = require('fs');
const OpenAPISnippet = require('openapi-snippet');

const TARGETS = ['csharp_httpclient', 'python_requests', 'r_httr'];
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const definition = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let operations = 0, snippets = 0, failures = 0, bytes = 0;
for (const [path, item] of Object.entries(definition.paths || {})) {
  for (const method of Object.keys(item)) {
    if (!METHODS.includes(method)) continue;
    operations++;
    try {
      const result = OpenAPISnippet.getEndpointSnippets(definition, path, method, TARGETS);
      for (const s of result.snippets) { snippets++; bytes += s.content.length; }
    } catch (err) {
      failures++;
    }
  }
}
process.stdout.write(JSON.stringify({ operations, snippets, failures, bytes }) + '\n');
