# Writes the seed corpus of fuzz_raw_names: python3 fuzz/make_raw_names_seeds.py fuzz/corpus/fuzz_raw_names
import os, io, tarfile, zipfile, sys
out = sys.argv[1]
def hdr(name, typ, size, prefix=b'', gnu=False):
    h = bytearray(512)
    def put(off, b, n): h[off:off+min(len(b), n)] = b[:n]
    put(0, name, 100); put(100, b'0000644\0', 8); put(108, b'0000000\0', 8); put(116, b'0000000\0', 8)
    put(124, b'%011o\0' % size, 12); put(136, b'%011o\0' % 1700000000, 12); h[156] = ord(typ)
    if gnu: put(257, b'ustar  \0', 8)
    else: put(257, b'ustar\0', 6); put(263, b'00', 2); put(345, prefix, 155)
    put(148, b'        ', 8); s = sum(h); put(148, b'%06o\0 ' % s, 8)
    return bytes(h)
def rec(name, typ, data, prefix=b'', gnu=False):
    return hdr(name, typ, len(data), prefix, gnu) + data + b'\0' * ((-len(data)) % 512)
def pax(k, v):
    body = b' ' + k + b'=' + v + b'\n'; n = len(body) + 1
    while len(str(n)) + len(body) != n: n += 1
    return str(n).encode() + body
end = b'\0' * 1024
seeds = {
  'plain.tar': rec(b'p/README', '0', b'hi\n') + rec(b'p/', '5', b'') + end,
  'longname-and-pax.tar': rec(b'././@LongLink', 'L', b'p/evil\0', gnu=True) + rec(b'h', 'x', pax(b'path', b'p/good')) + rec(b'p/good', '0', b'x') + end,
  'global-path.tar': rec(b'g', 'g', pax(b'path', b'p/x')) + rec(b'p/x', '0', b'x') + end,
  'prefix.tar': rec(b'h', 'x', pax(b'path', b'p/a/x.c')) + rec(b'x.c', '0', b'x', prefix=b'p/b') + end,
  'sparse-old.tar': hdr(b'p/s', 'S', 0, gnu=True) + end,
  'truncated.tar': rec(b'p/README', '0', b'hi\n')[:700],
}
b = io.BytesIO()
with tarfile.open(fileobj=b, mode='w', format=tarfile.PAX_FORMAT) as t:
    i = tarfile.TarInfo('p/' + 'd' * 120 + '/f'); i.size = 1; t.addfile(i, io.BytesIO(b'x'))
seeds['python-pax.tar'] = b.getvalue()
b = io.BytesIO()
with tarfile.open(fileobj=b, mode='w', format=tarfile.GNU_FORMAT) as t:
    i = tarfile.TarInfo('p/' + 'd' * 120 + '/f'); i.size = 1; t.addfile(i, io.BytesIO(b'x'))
seeds['python-gnu.tar'] = b.getvalue()
b = io.BytesIO()
with zipfile.ZipFile(b, 'w') as z:
    z.writestr('p/README', 'hi\n'); z.writestr('p/x.c', 'int x;\n')
seeds['plain.zip'] = b.getvalue()
z = bytearray(seeds['plain.zip']); i = z.find(b'p/x.c'); z[i:i+5] = b'p/y.c'
seeds['local-differs.zip'] = bytes(z)
for name, data in seeds.items():
    open(os.path.join(out, name), 'wb').write(data)
