
/* Connections: search that forgives accents and plurals ("securite" finds "sécurité", "violences" finds
   "violence"). Appended by the site build to this language's lunr file, which Material's search worker loads
   (also inside the iframe shim used over file://). Index words are folded (no accents) before the stemmer;
   each query word (Material adds a trailing *, which would skip the pipeline) is folded and stemmed the same
   way, so both sides meet on the same stem. */
(function (lunr, lang) {
  "use strict";
  var L = lunr && lunr[lang];
  if (!L || L.__cxFold) return;
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/æ/g, "ae"); }
  var foldToken = function (token) { return token.update(fold); };
  lunr.Pipeline.registerFunction(foldToken, "cxFold-" + lang);
  var plugin = function () {
    L.apply(this, arguments);
    this.pipeline.before(L.stemmer, foldToken);
    this.searchPipeline.before(L.stemmer, foldToken);
  };
  for (var k in L) if (Object.prototype.hasOwnProperty.call(L, k)) plugin[k] = L[k];
  plugin.__cxFold = true;
  lunr[lang] = plugin;

  function queryWord(str) {
    var m = /^([^*]*)(\*?)$/.exec(str);
    if (!m || !m[1]) return str;
    var word = m[1].toLowerCase();
    if (L.stopWordFilter && L.stopWordFilter(new lunr.Token(word)) === undefined) return fold(word) + m[2];
    var stem = L.stemmer(new lunr.Token(fold(word))).toString();
    return (stem || fold(word)) + m[2];
  }
  var parseTerm = lunr.QueryParser.parseTerm;
  lunr.QueryParser.parseTerm = function (parser) {
    var lexeme = parser.peekLexeme();
    if (lexeme && lexeme.type === lunr.QueryLexer.TERM && !lexeme.cxFolded) {
      lexeme.str = queryWord(lexeme.str);
      lexeme.cxFolded = true;
    }
    return parseTerm(parser);
  };
})(self.lunr, "__LANG__");
