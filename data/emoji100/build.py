#!/usr/bin/env python3
"""Rebuild the Emoji-100 benchmark (100 object classes x 4 emoji art styles, 64x64 RGBA PNG).

Usage
-----
    npm install --prefix /tmp/emojinpm emoji-datasource@16.0.0 emoji-datasource-google@16.0.0 \\
        emoji-datasource-twitter@16.0.0 openmoji@17.0.0 fluentui-emoji@1.3.0
    python data/emoji100/build.py --npm /tmp/emojinpm

Inputs
------
* ``classes.tsv`` next to this script: ``group, cldr_name, class_name, near_duplicate_keywords``.
* The npm packages above, installed under ``--npm`` (either the ``--prefix`` folder or its
  ``node_modules``).

Matching
--------
Each class is matched by its CLDR short name (``cldr_name``). ``emoji-datasource``'s ``emoji.json``
carries Unicode character names (``DOG`` for U+1F415, ``EAR OF MAIZE`` for U+1F33D, ...), not CLDR
names, and its ``short_name`` is often a *different* emoji (``dog`` is U+1F436 DOG FACE). So the CLDR
name -> code point map comes from OpenMoji's ``data/openmoji.json`` (``annotation`` = CLDR English
name), restricted to emoji that exist in ``emoji.json``; wherever ``emoji.json``'s Unicode name equals
the CLDR name as well, the two must agree. Exactly one code point must match, or the build fails.

Outputs (under ``--out``, default: this script's folder)
-------------------------------------------------------
* ``<style>/<slug>.png`` for style in noto, twemoji, openmoji, fluent; slug = class_name lowercased,
  every non-alphanumeric character replaced by ``_``. 64x64 RGBA; RGB of fully transparent pixels set
  to 0; saved by Pillow with ``optimize=True`` (no metadata), so a re-run gives the same bytes.
  - noto:     emoji-datasource-google ``img/google/64/<image>`` (PNG, re-encoded)
  - twemoji:  emoji-datasource-twitter ``img/twitter/64/<image>`` (PNG, re-encoded)
  - openmoji: openmoji ``color/svg/<HEX>.svg`` rendered with resvg at 64x64
  - fluent:   fluentui-emoji ``icons/flat/<cldr-slug>.svg`` rendered with resvg at 64x64 (renders
    that come out smaller than 64x64, e.g. 63x64, are padded, centred, with transparency)
* ``<style>/LICENSE``: licence and attribution for that style's art.
* ``manifest.tsv``: class_name, style, file, source (package@version), source_file, sha256.

Any class/style whose source is missing makes the script exit non-zero naming each one, before any
image is written. Stale ``*.png`` files in the style folders are removed.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
SIZE = 64
STYLES = ("noto", "twemoji", "openmoji", "fluent")
# Package versions this benchmark was built from; other versions need --allow-other-versions.
PINNED = {
    "emoji-datasource": "16.0.0",
    "emoji-datasource-google": "16.0.0",
    "emoji-datasource-twitter": "16.0.0",
    "openmoji": "17.0.0",
    "fluentui-emoji": "1.3.0",
}
STYLE_PACKAGE = {
    "noto": "emoji-datasource-google",
    "twemoji": "emoji-datasource-twitter",
    "openmoji": "openmoji",
    "fluent": "fluentui-emoji",
}


def class_slug(class_name: str) -> str:
    "File stem of a class: lowercased, each non-alphanumeric character -> `_`."
    return re.sub(r"[^a-z0-9]", "_", class_name.lower())


def fluent_slug(cldr_name: str) -> str:
    "fluentui-emoji file stem: CLDR name lowercased, apostrophes dropped, other runs -> `-`."
    s = re.sub(r"['\u2019]", "", cldr_name.lower())
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def strip_fe0f(hexcode: str) -> str:
    return "-".join(p for p in hexcode.upper().split("-") if p != "FE0F")


def find_node_modules(npm: Path) -> Path:
    for cand in (npm / "node_modules", npm):
        if (cand / "emoji-datasource" / "package.json").exists():
            return cand
    sys.exit(f"error: no emoji-datasource package under {npm} (or {npm}/node_modules)")


def read_classes(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    slugs = [class_slug(r["class_name"]) for r in rows]
    dup = {s for s in slugs if slugs.count(s) > 1}
    if dup:
        sys.exit(f"error: duplicate class slugs in {path}: {sorted(dup)}")
    return rows


def match_codepoints(classes, emoji_json, openmoji_json):
    """CLDR name -> emoji.json entry. Returns (dict cldr -> entry, list of error strings)."""
    by_hex = {strip_fe0f(e["unified"]): e for e in emoji_json}
    by_uname: dict[str, list] = {}
    for e in emoji_json:
        by_uname.setdefault((e.get("name") or "").lower(), []).append(e)
    by_cldr: dict[str, set] = {}
    for o in openmoji_json:
        h = strip_fe0f(o["hexcode"])
        if h in by_hex:  # drops OpenMoji extras (private-use area) and skin-tone variants not in emoji.json
            by_cldr.setdefault(o["annotation"].lower(), set()).add(h)
    out, errors = {}, []
    for r in classes:
        c = r["cldr_name"].lower()
        hexes = sorted(by_cldr.get(c, ()))
        if len(hexes) != 1:
            errors.append(f"class {r['class_name']!r}: CLDR name {c!r} matches {len(hexes)} emoji {hexes}")
            continue
        entry = by_hex[hexes[0]]
        same_uname = [strip_fe0f(e["unified"]) for e in by_uname.get(c, [])]
        if same_uname and hexes[0] not in same_uname:
            errors.append(f"class {r['class_name']!r}: CLDR {c!r} -> {hexes[0]} but emoji.json Unicode "
                          f"name {c!r} is {same_uname}")
            continue
        out[c] = entry
    return out, errors


def to_rgba64(im: Image.Image) -> Image.Image:
    "Fresh 64x64 RGBA image (no metadata); smaller images are padded, centred; larger ones shrunk."
    im = im.convert("RGBA")
    if im.size != (SIZE, SIZE):
        if im.width > SIZE or im.height > SIZE:
            scale = SIZE / max(im.size)
            im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))),
                           Image.Resampling.LANCZOS)
        canvas = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        canvas.paste(im, ((SIZE - im.width) // 2, (SIZE - im.height) // 2))
        im = canvas
    # Zero the colour of fully transparent pixels (invisible; makes bytes independent of source junk).
    visible = im.getchannel("A").point(lambda a: 255 if a else 0)
    im = Image.composite(im, Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0)), visible)
    return Image.frombytes("RGBA", (SIZE, SIZE), im.tobytes())


def render_svg(path: Path) -> Image.Image:
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_path=str(path), width=SIZE, height=SIZE)
    return Image.open(io.BytesIO(bytes(png)))


def png_bytes(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def write_if_changed(path: Path, data: bytes):
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def licence_texts(nm: Path, ver: dict) -> dict[str, str]:
    "LICENSE file contents per style folder."
    changes = ("Changes made for Emoji-100: the selected images were {how}\n"
               "and saved as 64x64 RGBA PNG; the RGB values of fully transparent pixels were set to 0.\n")
    rule = "\n" + "=" * 72 + "\n\n"
    noto = (
        "Noto Emoji graphics (64x64 RGBA PNG renders in this folder)\n\n"
        "Noto Emoji graphics by Google and the Noto Emoji contributors.\n"
        "Source: Noto Emoji v2.048, https://github.com/googlefonts/noto-emoji\n"
        f"Obtained from npm package emoji-datasource-google@{ver['emoji-datasource-google']}\n"
        "  (https://github.com/iamcal/emoji-data, file img/google/64/<codepoint>.png).\n"
        "Licence: Apache License, Version 2.0, https://www.apache.org/licenses/LICENSE-2.0\n"
        "  (the package's own LICENSE file is the MIT licence of its data and code, not of the art;\n"
        "  its README states that the Google/Noto images are available under the Apache License 2.0).\n\n"
        + changes.format(how="re-encoded")
        + rule + _APACHE_2_0
    )
    twemoji = (
        "Twemoji graphics by Twitter, Inc and other contributors, licensed under CC-BY 4.0\n\n"
        "Copyright 2019 Twitter, Inc and other contributors.\n"
        "Source: Twemoji (maintained fork) v16.0.1, https://github.com/jdecked/twemoji\n"
        f"Obtained from npm package emoji-datasource-twitter@{ver['emoji-datasource-twitter']}\n"
        "  (https://github.com/iamcal/emoji-data, file img/twitter/64/<codepoint>.png).\n"
        "Licence: Creative Commons Attribution 4.0 International (CC BY 4.0),\n"
        "  https://creativecommons.org/licenses/by/4.0/\n"
        "  Full legal code: https://creativecommons.org/licenses/by/4.0/legalcode\n"
        "  (the npm package ships no copy of the graphics licence; its LICENSE file is the MIT licence\n"
        "  of its data and code).\n"
        "The art is provided as-is, without warranties (see Section 5 of the licence).\n\n"
        + changes.format(how="re-encoded")
    )
    openmoji = (
        "OpenMoji – the open-source emoji and icon project. License: CC BY-SA 4.0\n\n"
        "All emojis in this folder designed by OpenMoji (https://openmoji.org/).\n"
        f"Source: npm package openmoji@{ver['openmoji']} (https://github.com/hfg-gmuend/openmoji),\n"
        "  files color/svg/<HEXCODE>.svg.\n"
        "Licence: Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0),\n"
        "  https://creativecommons.org/licenses/by-sa/4.0/ (full text below, as shipped in the package).\n\n"
        + changes.format(how="rendered from SVG with resvg")
        + "\nSHARE-ALIKE: the PNG renders in this folder are Adapted Material of OpenMoji and are\n"
        "themselves licensed under CC BY-SA 4.0. Anything that redistributes them (e.g. a dataset\n"
        "file holding these renders) must keep this notice and be shared under CC BY-SA 4.0 too.\n"
        "The rest of Emoji-100 (the other style folders and the code) is not affected.\n"
        + rule + (nm / "openmoji" / "LICENSE.txt").read_text(encoding="utf-8")
    )
    fluent = (
        "Fluent Emoji graphics by Microsoft (flat style)\n\n"
        "Copyright (c) Microsoft Corporation.\n"
        "Source: https://github.com/microsoft/fluentui-emoji (MIT License)\n"
        f"Obtained from npm package fluentui-emoji@{ver['fluentui-emoji']}\n"
        "  (https://github.com/MKAbuMattar/fluentui-emoji, files icons/flat/<cldr-name>.svg),\n"
        "  a repackaging of Microsoft's emoji, itself MIT-licensed (its LICENSE is reproduced below).\n"
        "Licence: MIT, https://opensource.org/licenses/MIT\n\n"
        + changes.format(how="rendered from SVG with resvg")
        + rule + _MIT.format(copyright="Copyright (c) Microsoft Corporation.")
        + rule + "LICENSE file shipped in the npm package fluentui-emoji:\n\n"
        + (nm / "fluentui-emoji" / "LICENSE").read_text(encoding="utf-8")
    )
    return {"noto": noto, "twemoji": twemoji, "openmoji": openmoji, "fluent": fluent}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--npm", type=Path, required=True,
                    help="folder the npm packages were installed into (npm --prefix DIR, or its node_modules)")
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: %(default)s)")
    ap.add_argument("--allow-other-versions", action="store_true",
                    help="do not fail when installed package versions differ from the pinned ones")
    args = ap.parse_args(argv)

    nm = find_node_modules(args.npm.resolve())
    ver = {}
    for pkg, want in PINNED.items():
        pj = nm / pkg / "package.json"
        if not pj.exists():
            sys.exit(f"error: npm package {pkg} not found under {nm}")
        ver[pkg] = json.loads(pj.read_text(encoding="utf-8"))["version"]
        if ver[pkg] != want and not args.allow_other_versions:
            sys.exit(f"error: {pkg}@{ver[pkg]} installed, Emoji-100 is pinned to {pkg}@{want} "
                     "(use --allow-other-versions to build anyway; the bytes will differ)")

    classes = read_classes(HERE / "classes.tsv")
    emoji_json = json.loads((nm / "emoji-datasource" / "emoji.json").read_text(encoding="utf-8"))
    openmoji_json = json.loads((nm / "openmoji" / "data" / "openmoji.json").read_text(encoding="utf-8"))
    matched, errors = match_codepoints(classes, emoji_json, openmoji_json)

    # Resolve every source file first; fail before writing anything.
    jobs = []  # (class_name, style, out_rel, package, src_rel, src_abs, kind)
    for r in classes:
        c, name = r["cldr_name"].lower(), r["class_name"]
        e = matched.get(c)
        if e is None:
            for st in STYLES:
                errors.append(f"missing: class {name!r} style {st!r} (no code point for CLDR name {c!r})")
            continue
        hexcode = strip_fe0f(e["unified"])
        srcs = {
            "noto": (f"img/google/64/{e['image']}", "png", e.get("has_img_google")),
            "twemoji": (f"img/twitter/64/{e['image']}", "png", e.get("has_img_twitter")),
            "openmoji": (f"color/svg/{hexcode}.svg", "svg", True),
            "fluent": (f"icons/flat/{fluent_slug(c)}.svg", "svg", True),
        }
        for st in STYLES:
            rel, kind, flagged = srcs[st]
            pkg = STYLE_PACKAGE[st]
            p = nm / pkg / rel
            if not flagged or not p.is_file():
                errors.append(f"missing: class {name!r} style {st!r} (U+{hexcode}): {pkg}/{rel}")
                continue
            jobs.append((name, st, f"{st}/{class_slug(name)}.png", pkg, rel, p, kind))
    if errors:
        print("Emoji-100 build FAILED:", *errors, sep="\n  ", file=sys.stderr)
        sys.exit(1)

    out = args.out.resolve()
    for st in STYLES:
        (out / st).mkdir(parents=True, exist_ok=True)
    manifest = [("class_name", "style", "file", "source", "source_file", "sha256")]
    written = set()
    for name, st, rel_out, pkg, rel_src, p, kind in jobs:
        try:
            im = render_svg(p) if kind == "svg" else Image.open(p)
            data = png_bytes(to_rgba64(im))
        except Exception as ex:  # noqa: BLE001 - report which image broke
            print(f"Emoji-100 build FAILED: class {name!r} style {st!r}: cannot read {p}: {ex}",
                  file=sys.stderr)
            sys.exit(1)
        write_if_changed(out / rel_out, data)
        written.add(out / rel_out)
        manifest.append((name, st, rel_out, f"{pkg}@{ver[pkg]}", rel_src, hashlib.sha256(data).hexdigest()))

    for st in STYLES:
        for f in sorted((out / st).glob("*.png")):
            if f not in written:
                print(f"removing stale {f}", file=sys.stderr)
                f.unlink()
    for st, text in licence_texts(nm, ver).items():
        write_if_changed(out / st / "LICENSE", text.encode("utf-8"))
    tsv = "".join("\t".join(row) + "\n" for row in manifest)
    write_if_changed(out / "manifest.tsv", tsv.encode("utf-8"))
    if out != HERE:
        write_if_changed(out / "classes.tsv", (HERE / "classes.tsv").read_bytes())

    n = len(manifest) - 1
    expected = len(classes) * len(STYLES)
    if n != expected:
        sys.exit(f"error: wrote {n} images, expected {expected}")
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"Emoji-100: {n} images ({len(classes)} classes x {len(STYLES)} styles) in {out}; "
          f"folder size {total / 1e6:.2f} MB")


_MIT = """MIT License

{copyright}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

# Full text of the Apache License 2.0 (emoji-datasource-google ships no copy of it).
_APACHE_2_0 = """
                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION

   1. Definitions.

      "License" shall mean the terms and conditions for use, reproduction,
      and distribution as defined by Sections 1 through 9 of this document.

      "Licensor" shall mean the copyright owner or entity authorized by
      the copyright owner that is granting the License.

      "Legal Entity" shall mean the union of the acting entity and all
      other entities that control, are controlled by, or are under common
      control with that entity. For the purposes of this definition,
      "control" means (i) the power, direct or indirect, to cause the
      direction or management of such entity, whether by contract or
      otherwise, or (ii) ownership of fifty percent (50%) or more of the
      outstanding shares, or (iii) beneficial ownership of such entity.

      "You" (or "Your") shall mean an individual or Legal Entity
      exercising permissions granted by this License.

      "Source" form shall mean the preferred form for making modifications,
      including but not limited to software source code, documentation
      source, and configuration files.

      "Object" form shall mean any form resulting from mechanical
      transformation or translation of a Source form, including but
      not limited to compiled object code, generated documentation,
      and conversions to other media types.

      "Work" shall mean the work of authorship, whether in Source or
      Object form, made available under the License, as indicated by a
      copyright notice that is included in or attached to the work
      (an example is provided in the Appendix below).

      "Derivative Works" shall mean any work, whether in Source or Object
      form, that is based on (or derived from) the Work and for which the
      editorial revisions, annotations, elaborations, or other modifications
      represent, as a whole, an original work of authorship. For the purposes
      of this License, Derivative Works shall not include works that remain
      separable from, or merely link (or bind by name) to the interfaces of,
      the Work and Derivative Works thereof.

      "Contribution" shall mean any work of authorship, including
      the original version of the Work and any modifications or additions
      to that Work or Derivative Works thereof, that is intentionally
      submitted to Licensor for inclusion in the Work by the copyright owner
      or by an individual or Legal Entity authorized to submit on behalf of
      the copyright owner. For the purposes of this definition, "submitted"
      means any form of electronic, verbal, or written communication sent
      to the Licensor or its representatives, including but not limited to
      communication on electronic mailing lists, source code control systems,
      and issue tracking systems that are managed by, or on behalf of, the
      Licensor for the purpose of discussing and improving the Work, but
      excluding communication that is conspicuously marked or otherwise
      designated in writing by the copyright owner as "Not a Contribution."

      "Contributor" shall mean Licensor and any individual or Legal Entity
      on behalf of whom a Contribution has been received by Licensor and
      subsequently incorporated within the Work.

   2. Grant of Copyright License. Subject to the terms and conditions of
      this License, each Contributor hereby grants to You a perpetual,
      worldwide, non-exclusive, no-charge, royalty-free, irrevocable
      copyright license to reproduce, prepare Derivative Works of,
      publicly display, publicly perform, sublicense, and distribute the
      Work and such Derivative Works in Source or Object form.

   3. Grant of Patent License. Subject to the terms and conditions of
      this License, each Contributor hereby grants to You a perpetual,
      worldwide, non-exclusive, no-charge, royalty-free, irrevocable
      (except as stated in this section) patent license to make, have made,
      use, offer to sell, sell, import, and otherwise transfer the Work,
      where such license applies only to those patent claims licensable
      by such Contributor that are necessarily infringed by their
      Contribution(s) alone or by combination of their Contribution(s)
      with the Work to which such Contribution(s) was submitted. If You
      institute patent litigation against any entity (including a
      cross-claim or counterclaim in a lawsuit) alleging that the Work
      or a Contribution incorporated within the Work constitutes direct
      or contributory patent infringement, then any patent licenses
      granted to You under this License for that Work shall terminate
      as of the date such litigation is filed.

   4. Redistribution. You may reproduce and distribute copies of the
      Work or Derivative Works thereof in any medium, with or without
      modifications, and in Source or Object form, provided that You
      meet the following conditions:

      (a) You must give any other recipients of the Work or
          Derivative Works a copy of this License; and

      (b) You must cause any modified files to carry prominent notices
          stating that You changed the files; and

      (c) You must retain, in the Source form of any Derivative Works
          that You distribute, all copyright, patent, trademark, and
          attribution notices from the Source form of the Work,
          excluding those notices that do not pertain to any part of
          the Derivative Works; and

      (d) If the Work includes a "NOTICE" text file as part of its
          distribution, then any Derivative Works that You distribute must
          include a readable copy of the attribution notices contained
          within such NOTICE file, excluding those notices that do not
          pertain to any part of the Derivative Works, in at least one
          of the following places: within a NOTICE text file distributed
          as part of the Derivative Works; within the Source form or
          documentation, if provided along with the Derivative Works; or,
          within a display generated by the Derivative Works, if and
          wherever such third-party notices normally appear. The contents
          of the NOTICE file are for informational purposes only and
          do not modify the License. You may add Your own attribution
          notices within Derivative Works that You distribute, alongside
          or as an addendum to the NOTICE text from the Work, provided
          that such additional attribution notices cannot be construed
          as modifying the License.

      You may add Your own copyright statement to Your modifications and
      may provide additional or different license terms and conditions
      for use, reproduction, or distribution of Your modifications, or
      for any such Derivative Works as a whole, provided Your use,
      reproduction, and distribution of the Work otherwise complies with
      the conditions stated in this License.

   5. Submission of Contributions. Unless You explicitly state otherwise,
      any Contribution intentionally submitted for inclusion in the Work
      by You to the Licensor shall be under the terms and conditions of
      this License, without any additional terms or conditions.
      Notwithstanding the above, nothing herein shall supersede or modify
      the terms of any separate license agreement you may have executed
      with Licensor regarding such Contributions.

   6. Trademarks. This License does not grant permission to use the trade
      names, trademarks, service marks, or product names of the Licensor,
      except as required for reasonable and customary use in describing the
      origin of the Work and reproducing the content of the NOTICE file.

   7. Disclaimer of Warranty. Unless required by applicable law or
      agreed to in writing, Licensor provides the Work (and each
      Contributor provides its Contributions) on an "AS IS" BASIS,
      WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or
      implied, including, without limitation, any warranties or conditions
      of TITLE, NON-INFRINGEMENT, MERCHANTABILITY, or FITNESS FOR A
      PARTICULAR PURPOSE. You are solely responsible for determining the
      appropriateness of using or redistributing the Work and assume any
      risks associated with Your exercise of permissions under this License.

   8. Limitation of Liability. In no event and under no legal theory,
      whether in tort (including negligence), contract, or otherwise,
      unless required by applicable law (such as deliberate and grossly
      negligent acts) or agreed to in writing, shall any Contributor be
      liable to You for damages, including any direct, indirect, special,
      incidental, or consequential damages of any character arising as a
      result of this License or out of the use or inability to use the
      Work (including but not limited to damages for loss of goodwill,
      work stoppage, computer failure or malfunction, or any and all
      other commercial damages or losses), even if such Contributor
      has been advised of the possibility of such damages.

   9. Accepting Warranty or Additional Liability. While redistributing
      the Work or Derivative Works thereof, You may choose to offer,
      and charge a fee for, acceptance of support, warranty, indemnity,
      or other liability obligations and/or rights consistent with this
      License. However, in accepting such obligations, You may act only
      on Your own behalf and on Your sole responsibility, not on behalf
      of any other Contributor, and only if You agree to indemnify,
      defend, and hold each Contributor harmless for any liability
      incurred by, or claims asserted against, such Contributor by reason
      of your accepting any such warranty or additional liability.

   END OF TERMS AND CONDITIONS

   APPENDIX: How to apply the Apache License to your work.

      To apply the Apache License to your work, attach the following
      boilerplate notice, with the fields enclosed by brackets "[]"
      replaced with your own identifying information. (Don't include
      the brackets!)  The text should be enclosed in the appropriate
      comment syntax for the file format. We also recommend that a
      file or class name and description of purpose be included on the
      same "printed page" as the copyright notice for easier
      identification within third-party archives.

   Copyright [yyyy] [name of copyright owner]

   Licensed under the Apache License, Version 2.0 (the "License");
   you may not use this file except in compliance with the License.
   You may obtain a copy of the License at

       http://www.apache.org/licenses/LICENSE-2.0

   Unless required by applicable law or agreed to in writing, software
   distributed under the License is distributed on an "AS IS" BASIS,
   WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
   See the License for the specific language governing permissions and
   limitations under the License.
"""

if __name__ == "__main__":
    main()
