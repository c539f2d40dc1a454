#!/usr/bin/env bash
# Rebuilds the vendored ECharts bundle from entry.js (needs Node.js and the npm registry; not part of
# the product's build: the bundle is committed). The Apache-2.0 licence header is kept first.
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund >/dev/null
out=../../src/Fangkong.Web/Assets/vendor/echarts.min.js
{
  printf '/*\n* Apache ECharts %s, custom build (tools/echarts/entry.js): Licensed to the Apache Software Foundation (ASF)\n* under the Apache License, Version 2.0; see node_modules/echarts/LICENSE and NOTICE.\n*/\n' "$(node -p 'require("echarts/package.json").version')"
  ./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 --legal-comments=eof
} > "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
