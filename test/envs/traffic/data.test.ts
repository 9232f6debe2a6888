import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * md5 of the files as copied into data/wan/ (the table in data/wan/README.md, which names the upstream
 * commits: harvard-cns/teal 8076c99, cornell-netlab/yates 926bd89). Computed here from those copies: neither
 * repository publishes checksums, and B4_real_tms.csv is a conversion of Teal's pickles, so these are not
 * upstream figures. They guard against a local change of the files, not against a difference from upstream.
 */
const MD5: Record<string, string> = {
  'B4.json': '8c9be0706e28188efcb7a296b539518f',
  'B4_real_tms.csv': '6540610b104f751beeaea7daec148ace',
  'LICENSE.teal': 'f2bec0578e1f60afe58f8bb2728f8372',
  'LICENSE.yates': '5b9f5277aeed445e47bb11545bfe26aa',
  'UsCarrier.json': '95f3077725a8524979bdd33adfd67d47',
  demands_abilene_README: 'fd87556200826cea7a795946e6f413c1',
  'demands_abilene_hourly.txt': 'a9655f4fe77f36586434e112a9d3769d',
  'demands_actual_abilene.txt': 'e14361abc14d9b71ee8b485e171907eb',
  'hosts_abilene.hosts': 'b5aca5d4029e6c81f283359d911898e0',
  'topologies_abilene.dot': 'b41f62091fc4973e1d5556365df29d2b',
};

describe('data/wan', () => {
  it.each(Object.entries(MD5))(
    '%s is unchanged since it was copied: the md5 of data/wan/README.md (computed locally, not an upstream hash)',
    (file, md5) => {
      expect(
        createHash('md5')
          .update(readFileSync(join('data/wan', file)))
          .digest('hex'),
      ).toBe(md5);
      expect(readFileSync('data/wan/README.md', 'utf8')).toContain(md5);
    },
  );
});
