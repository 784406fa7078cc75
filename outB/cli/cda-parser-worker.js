import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/xmlchars/xml/1.0/ed5.js
var require_ed5 = __commonJS({
  "node_modules/xmlchars/xml/1.0/ed5.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CHAR = "	\n\r -\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}";
    exports.S = " 	\r\n";
    exports.NAME_START_CHAR = ":A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
    exports.NAME_CHAR = "-" + exports.NAME_START_CHAR + ".0-9\xB7\u0300-\u036F\u203F-\u2040";
    exports.CHAR_RE = new RegExp("^[" + exports.CHAR + "]$", "u");
    exports.S_RE = new RegExp("^[" + exports.S + "]+$", "u");
    exports.NAME_START_CHAR_RE = new RegExp("^[" + exports.NAME_START_CHAR + "]$", "u");
    exports.NAME_CHAR_RE = new RegExp("^[" + exports.NAME_CHAR + "]$", "u");
    exports.NAME_RE = new RegExp("^[" + exports.NAME_START_CHAR + "][" + exports.NAME_CHAR + "]*$", "u");
    exports.NMTOKEN_RE = new RegExp("^[" + exports.NAME_CHAR + "]+$", "u");
    var TAB = 9;
    var NL = 10;
    var CR = 13;
    var SPACE = 32;
    exports.S_LIST = [SPACE, NL, CR, TAB];
    function isChar(c) {
      return c >= SPACE && c <= 55295 || c === NL || c === CR || c === TAB || c >= 57344 && c <= 65533 || c >= 65536 && c <= 1114111;
    }
    exports.isChar = isChar;
    function isS(c) {
      return c === SPACE || c === NL || c === CR || c === TAB;
    }
    exports.isS = isS;
    function isNameStartChar(c) {
      return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 58 || c === 95 || c === 8204 || c === 8205 || c >= 192 && c <= 214 || c >= 216 && c <= 246 || c >= 248 && c <= 767 || c >= 880 && c <= 893 || c >= 895 && c <= 8191 || c >= 8304 && c <= 8591 || c >= 11264 && c <= 12271 || c >= 12289 && c <= 55295 || c >= 63744 && c <= 64975 || c >= 65008 && c <= 65533 || c >= 65536 && c <= 983039;
    }
    exports.isNameStartChar = isNameStartChar;
    function isNameChar(c) {
      return isNameStartChar(c) || c >= 48 && c <= 57 || c === 45 || c === 46 || c === 183 || c >= 768 && c <= 879 || c >= 8255 && c <= 8256;
    }
    exports.isNameChar = isNameChar;
  }
});

// node_modules/xmlchars/xml/1.1/ed2.js
var require_ed2 = __commonJS({
  "node_modules/xmlchars/xml/1.1/ed2.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CHAR = "-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}";
    exports.RESTRICTED_CHAR = "-\b\v\f-\x7F-\x84\x86-\x9F";
    exports.S = " 	\r\n";
    exports.NAME_START_CHAR = ":A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
    exports.NAME_CHAR = "-" + exports.NAME_START_CHAR + ".0-9\xB7\u0300-\u036F\u203F-\u2040";
    exports.CHAR_RE = new RegExp("^[" + exports.CHAR + "]$", "u");
    exports.RESTRICTED_CHAR_RE = new RegExp("^[" + exports.RESTRICTED_CHAR + "]$", "u");
    exports.S_RE = new RegExp("^[" + exports.S + "]+$", "u");
    exports.NAME_START_CHAR_RE = new RegExp("^[" + exports.NAME_START_CHAR + "]$", "u");
    exports.NAME_CHAR_RE = new RegExp("^[" + exports.NAME_CHAR + "]$", "u");
    exports.NAME_RE = new RegExp("^[" + exports.NAME_START_CHAR + "][" + exports.NAME_CHAR + "]*$", "u");
    exports.NMTOKEN_RE = new RegExp("^[" + exports.NAME_CHAR + "]+$", "u");
    var TAB = 9;
    var NL = 10;
    var CR = 13;
    var SPACE = 32;
    exports.S_LIST = [SPACE, NL, CR, TAB];
    function isChar(c) {
      return c >= 1 && c <= 55295 || c >= 57344 && c <= 65533 || c >= 65536 && c <= 1114111;
    }
    exports.isChar = isChar;
    function isRestrictedChar(c) {
      return c >= 1 && c <= 8 || c === 11 || c === 12 || c >= 14 && c <= 31 || c >= 127 && c <= 132 || c >= 134 && c <= 159;
    }
    exports.isRestrictedChar = isRestrictedChar;
    function isCharAndNotRestricted(c) {
      return c === 9 || c === 10 || c === 13 || c > 31 && c < 127 || c === 133 || c > 159 && c <= 55295 || c >= 57344 && c <= 65533 || c >= 65536 && c <= 1114111;
    }
    exports.isCharAndNotRestricted = isCharAndNotRestricted;
    function isS(c) {
      return c === SPACE || c === NL || c === CR || c === TAB;
    }
    exports.isS = isS;
    function isNameStartChar(c) {
      return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 58 || c === 95 || c === 8204 || c === 8205 || c >= 192 && c <= 214 || c >= 216 && c <= 246 || c >= 248 && c <= 767 || c >= 880 && c <= 893 || c >= 895 && c <= 8191 || c >= 8304 && c <= 8591 || c >= 11264 && c <= 12271 || c >= 12289 && c <= 55295 || c >= 63744 && c <= 64975 || c >= 65008 && c <= 65533 || c >= 65536 && c <= 983039;
    }
    exports.isNameStartChar = isNameStartChar;
    function isNameChar(c) {
      return isNameStartChar(c) || c >= 48 && c <= 57 || c === 45 || c === 46 || c === 183 || c >= 768 && c <= 879 || c >= 8255 && c <= 8256;
    }
    exports.isNameChar = isNameChar;
  }
});

// node_modules/xmlchars/xmlns/1.0/ed3.js
var require_ed3 = __commonJS({
  "node_modules/xmlchars/xmlns/1.0/ed3.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.NC_NAME_START_CHAR = "A-Z_a-z\xC0-\xD6\xD8-\xF6\xF8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}";
    exports.NC_NAME_CHAR = "-" + exports.NC_NAME_START_CHAR + ".0-9\xB7\u0300-\u036F\u203F-\u2040";
    exports.NC_NAME_START_CHAR_RE = new RegExp("^[" + exports.NC_NAME_START_CHAR + "]$", "u");
    exports.NC_NAME_CHAR_RE = new RegExp("^[" + exports.NC_NAME_CHAR + "]$", "u");
    exports.NC_NAME_RE = new RegExp("^[" + exports.NC_NAME_START_CHAR + "][" + exports.NC_NAME_CHAR + "]*$", "u");
    function isNCNameStartChar(c) {
      return c >= 65 && c <= 90 || c === 95 || c >= 97 && c <= 122 || c >= 192 && c <= 214 || c >= 216 && c <= 246 || c >= 248 && c <= 767 || c >= 880 && c <= 893 || c >= 895 && c <= 8191 || c >= 8204 && c <= 8205 || c >= 8304 && c <= 8591 || c >= 11264 && c <= 12271 || c >= 12289 && c <= 55295 || c >= 63744 && c <= 64975 || c >= 65008 && c <= 65533 || c >= 65536 && c <= 983039;
    }
    exports.isNCNameStartChar = isNCNameStartChar;
    function isNCNameChar(c) {
      return isNCNameStartChar(c) || (c === 45 || c === 46 || c >= 48 && c <= 57 || c === 183 || c >= 768 && c <= 879 || c >= 8255 && c <= 8256);
    }
    exports.isNCNameChar = isNCNameChar;
  }
});

// node_modules/saxes/saxes.js
var require_saxes = __commonJS({
  "node_modules/saxes/saxes.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.SaxesParser = exports.EVENTS = void 0;
    var ed5 = require_ed5();
    var ed2 = require_ed2();
    var NSed3 = require_ed3();
    var isS = ed5.isS;
    var isChar10 = ed5.isChar;
    var isNameStartChar = ed5.isNameStartChar;
    var isNameChar = ed5.isNameChar;
    var S_LIST = ed5.S_LIST;
    var NAME_RE = ed5.NAME_RE;
    var isChar11 = ed2.isChar;
    var isNCNameStartChar = NSed3.isNCNameStartChar;
    var isNCNameChar = NSed3.isNCNameChar;
    var NC_NAME_RE = NSed3.NC_NAME_RE;
    var XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";
    var XMLNS_NAMESPACE = "http://www.w3.org/2000/xmlns/";
    var rootNS = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment
      __proto__: null,
      xml: XML_NAMESPACE,
      xmlns: XMLNS_NAMESPACE
    };
    var XML_ENTITIES = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment
      __proto__: null,
      amp: "&",
      gt: ">",
      lt: "<",
      quot: '"',
      apos: "'"
    };
    var EOC = -1;
    var NL_LIKE = -2;
    var S_BEGIN = 0;
    var S_BEGIN_WHITESPACE = 1;
    var S_DOCTYPE = 2;
    var S_DOCTYPE_QUOTE = 3;
    var S_DTD = 4;
    var S_DTD_QUOTED = 5;
    var S_DTD_OPEN_WAKA = 6;
    var S_DTD_OPEN_WAKA_BANG = 7;
    var S_DTD_COMMENT = 8;
    var S_DTD_COMMENT_ENDING = 9;
    var S_DTD_COMMENT_ENDED = 10;
    var S_DTD_PI = 11;
    var S_DTD_PI_ENDING = 12;
    var S_TEXT = 13;
    var S_ENTITY = 14;
    var S_OPEN_WAKA = 15;
    var S_OPEN_WAKA_BANG = 16;
    var S_COMMENT = 17;
    var S_COMMENT_ENDING = 18;
    var S_COMMENT_ENDED = 19;
    var S_CDATA = 20;
    var S_CDATA_ENDING = 21;
    var S_CDATA_ENDING_2 = 22;
    var S_PI_FIRST_CHAR = 23;
    var S_PI_REST = 24;
    var S_PI_BODY = 25;
    var S_PI_ENDING = 26;
    var S_XML_DECL_NAME_START = 27;
    var S_XML_DECL_NAME = 28;
    var S_XML_DECL_EQ = 29;
    var S_XML_DECL_VALUE_START = 30;
    var S_XML_DECL_VALUE = 31;
    var S_XML_DECL_SEPARATOR = 32;
    var S_XML_DECL_ENDING = 33;
    var S_OPEN_TAG = 34;
    var S_OPEN_TAG_SLASH = 35;
    var S_ATTRIB = 36;
    var S_ATTRIB_NAME = 37;
    var S_ATTRIB_NAME_SAW_WHITE = 38;
    var S_ATTRIB_VALUE = 39;
    var S_ATTRIB_VALUE_QUOTED = 40;
    var S_ATTRIB_VALUE_CLOSED = 41;
    var S_ATTRIB_VALUE_UNQUOTED = 42;
    var S_CLOSE_TAG = 43;
    var S_CLOSE_TAG_SAW_WHITE = 44;
    var TAB = 9;
    var NL = 10;
    var CR = 13;
    var SPACE = 32;
    var BANG = 33;
    var DQUOTE = 34;
    var AMP = 38;
    var SQUOTE = 39;
    var MINUS = 45;
    var FORWARD_SLASH = 47;
    var SEMICOLON = 59;
    var LESS = 60;
    var EQUAL = 61;
    var GREATER = 62;
    var QUESTION = 63;
    var OPEN_BRACKET = 91;
    var CLOSE_BRACKET = 93;
    var NEL = 133;
    var LS = 8232;
    var isQuote = (c) => c === DQUOTE || c === SQUOTE;
    var QUOTES = [DQUOTE, SQUOTE];
    var DOCTYPE_TERMINATOR = [...QUOTES, OPEN_BRACKET, GREATER];
    var DTD_TERMINATOR = [...QUOTES, LESS, CLOSE_BRACKET];
    var XML_DECL_NAME_TERMINATOR = [EQUAL, QUESTION, ...S_LIST];
    var ATTRIB_VALUE_UNQUOTED_TERMINATOR = [...S_LIST, GREATER, AMP, LESS];
    function nsPairCheck(parser, prefix, uri) {
      switch (prefix) {
        case "xml":
          if (uri !== XML_NAMESPACE) {
            parser.fail(`xml prefix must be bound to ${XML_NAMESPACE}.`);
          }
          break;
        case "xmlns":
          if (uri !== XMLNS_NAMESPACE) {
            parser.fail(`xmlns prefix must be bound to ${XMLNS_NAMESPACE}.`);
          }
          break;
        default:
      }
      switch (uri) {
        case XMLNS_NAMESPACE:
          parser.fail(prefix === "" ? `the default namespace may not be set to ${uri}.` : `may not assign a prefix (even "xmlns") to the URI ${XMLNS_NAMESPACE}.`);
          break;
        case XML_NAMESPACE:
          switch (prefix) {
            case "xml":
              break;
            case "":
              parser.fail(`the default namespace may not be set to ${uri}.`);
              break;
            default:
              parser.fail("may not assign the xml namespace to another prefix.");
          }
          break;
        default:
      }
    }
    function nsMappingCheck(parser, mapping) {
      for (const local of Object.keys(mapping)) {
        nsPairCheck(parser, local, mapping[local]);
      }
    }
    var isNCName = (name) => NC_NAME_RE.test(name);
    var isName = (name) => NAME_RE.test(name);
    var FORBIDDEN_START = 0;
    var FORBIDDEN_BRACKET = 1;
    var FORBIDDEN_BRACKET_BRACKET = 2;
    exports.EVENTS = [
      "xmldecl",
      "text",
      "processinginstruction",
      "doctype",
      "comment",
      "opentagstart",
      "attribute",
      "opentag",
      "closetag",
      "cdata",
      "error",
      "end",
      "ready"
    ];
    var EVENT_NAME_TO_HANDLER_NAME = {
      xmldecl: "xmldeclHandler",
      text: "textHandler",
      processinginstruction: "piHandler",
      doctype: "doctypeHandler",
      comment: "commentHandler",
      opentagstart: "openTagStartHandler",
      attribute: "attributeHandler",
      opentag: "openTagHandler",
      closetag: "closeTagHandler",
      cdata: "cdataHandler",
      error: "errorHandler",
      end: "endHandler",
      ready: "readyHandler"
    };
    var SaxesParser2 = class {
      /**
       * @param opt The parser options.
       */
      constructor(opt) {
        this.opt = opt !== null && opt !== void 0 ? opt : {};
        this.fragmentOpt = !!this.opt.fragment;
        const xmlnsOpt = this.xmlnsOpt = !!this.opt.xmlns;
        this.trackPosition = this.opt.position !== false;
        this.fileName = this.opt.fileName;
        if (xmlnsOpt) {
          this.nameStartCheck = isNCNameStartChar;
          this.nameCheck = isNCNameChar;
          this.isName = isNCName;
          this.processAttribs = this.processAttribsNS;
          this.pushAttrib = this.pushAttribNS;
          this.ns = Object.assign({ __proto__: null }, rootNS);
          const additional = this.opt.additionalNamespaces;
          if (additional != null) {
            nsMappingCheck(this, additional);
            Object.assign(this.ns, additional);
          }
        } else {
          this.nameStartCheck = isNameStartChar;
          this.nameCheck = isNameChar;
          this.isName = isName;
          this.processAttribs = this.processAttribsPlain;
          this.pushAttrib = this.pushAttribPlain;
        }
        this.stateTable = [
          /* eslint-disable @typescript-eslint/unbound-method */
          this.sBegin,
          this.sBeginWhitespace,
          this.sDoctype,
          this.sDoctypeQuote,
          this.sDTD,
          this.sDTDQuoted,
          this.sDTDOpenWaka,
          this.sDTDOpenWakaBang,
          this.sDTDComment,
          this.sDTDCommentEnding,
          this.sDTDCommentEnded,
          this.sDTDPI,
          this.sDTDPIEnding,
          this.sText,
          this.sEntity,
          this.sOpenWaka,
          this.sOpenWakaBang,
          this.sComment,
          this.sCommentEnding,
          this.sCommentEnded,
          this.sCData,
          this.sCDataEnding,
          this.sCDataEnding2,
          this.sPIFirstChar,
          this.sPIRest,
          this.sPIBody,
          this.sPIEnding,
          this.sXMLDeclNameStart,
          this.sXMLDeclName,
          this.sXMLDeclEq,
          this.sXMLDeclValueStart,
          this.sXMLDeclValue,
          this.sXMLDeclSeparator,
          this.sXMLDeclEnding,
          this.sOpenTag,
          this.sOpenTagSlash,
          this.sAttrib,
          this.sAttribName,
          this.sAttribNameSawWhite,
          this.sAttribValue,
          this.sAttribValueQuoted,
          this.sAttribValueClosed,
          this.sAttribValueUnquoted,
          this.sCloseTag,
          this.sCloseTagSawWhite
          /* eslint-enable @typescript-eslint/unbound-method */
        ];
        this._init();
      }
      /**
       * Indicates whether or not the parser is closed. If ``true``, wait for
       * the ``ready`` event to write again.
       */
      get closed() {
        return this._closed;
      }
      _init() {
        var _a;
        this.openWakaBang = "";
        this.text = "";
        this.name = "";
        this.piTarget = "";
        this.entity = "";
        this.q = null;
        this.tags = [];
        this.tag = null;
        this.topNS = null;
        this.chunk = "";
        this.chunkPosition = 0;
        this.i = 0;
        this.prevI = 0;
        this.carriedFromPrevious = void 0;
        this.forbiddenState = FORBIDDEN_START;
        this.attribList = [];
        const { fragmentOpt } = this;
        this.state = fragmentOpt ? S_TEXT : S_BEGIN;
        this.reportedTextBeforeRoot = this.reportedTextAfterRoot = this.closedRoot = this.sawRoot = fragmentOpt;
        this.xmlDeclPossible = !fragmentOpt;
        this.xmlDeclExpects = ["version"];
        this.entityReturnState = void 0;
        let { defaultXMLVersion } = this.opt;
        if (defaultXMLVersion === void 0) {
          if (this.opt.forceXMLVersion === true) {
            throw new Error("forceXMLVersion set but defaultXMLVersion is not set");
          }
          defaultXMLVersion = "1.0";
        }
        this.setXMLVersion(defaultXMLVersion);
        this.positionAtNewLine = 0;
        this.doctype = false;
        this._closed = false;
        this.xmlDecl = {
          version: void 0,
          encoding: void 0,
          standalone: void 0
        };
        this.line = 1;
        this.column = 0;
        this.ENTITIES = Object.create(XML_ENTITIES);
        (_a = this.readyHandler) === null || _a === void 0 ? void 0 : _a.call(this);
      }
      /**
       * The stream position the parser is currently looking at. This field is
       * zero-based.
       *
       * This field is not based on counting Unicode characters but is to be
       * interpreted as a plain index into a JavaScript string.
       */
      get position() {
        return this.chunkPosition + this.i;
      }
      /**
       * The column number of the next character to be read by the parser.  *
       * This field is zero-based. (The first column in a line is 0.)
       *
       * This field reports the index at which the next character would be in the
       * line if the line were represented as a JavaScript string.  Note that this
       * *can* be different to a count based on the number of *Unicode characters*
       * due to how JavaScript handles astral plane characters.
       *
       * See [[column]] for a number that corresponds to a count of Unicode
       * characters.
       */
      get columnIndex() {
        return this.position - this.positionAtNewLine;
      }
      /**
       * Set an event listener on an event. The parser supports one handler per
       * event type. If you try to set an event handler over an existing handler,
       * the old handler is silently overwritten.
       *
       * @param name The event to listen to.
       *
       * @param handler The handler to set.
       */
      on(name, handler) {
        this[EVENT_NAME_TO_HANDLER_NAME[name]] = handler;
      }
      /**
       * Unset an event handler.
       *
       * @parma name The event to stop listening to.
       */
      off(name) {
        this[EVENT_NAME_TO_HANDLER_NAME[name]] = void 0;
      }
      /**
       * Make an error object. The error object will have a message that contains
       * the ``fileName`` option passed at the creation of the parser. If position
       * tracking was turned on, it will also have line and column number
       * information.
       *
       * @param message The message describing the error to report.
       *
       * @returns An error object with a properly formatted message.
       */
      makeError(message) {
        var _a;
        let msg = (_a = this.fileName) !== null && _a !== void 0 ? _a : "";
        if (this.trackPosition) {
          if (msg.length > 0) {
            msg += ":";
          }
          msg += `${this.line}:${this.column}`;
        }
        if (msg.length > 0) {
          msg += ": ";
        }
        return new Error(msg + message);
      }
      /**
       * Report a parsing error. This method is made public so that client code may
       * check for issues that are outside the scope of this project and can report
       * errors.
       *
       * @param message The error to report.
       *
       * @returns this
       */
      fail(message) {
        const err = this.makeError(message);
        const handler = this.errorHandler;
        if (handler === void 0) {
          throw err;
        } else {
          handler(err);
        }
        return this;
      }
      /**
       * Write a XML data to the parser.
       *
       * @param chunk The XML data to write.
       *
       * @returns this
       */
      // We do need object for the type here. Yes, it often causes problems
      // but not in this case.
      write(chunk) {
        if (this.closed) {
          return this.fail("cannot write after close; assign an onready handler.");
        }
        let end = false;
        if (chunk === null) {
          end = true;
          chunk = "";
        } else if (typeof chunk === "object") {
          chunk = chunk.toString();
        }
        if (this.carriedFromPrevious !== void 0) {
          chunk = `${this.carriedFromPrevious}${chunk}`;
          this.carriedFromPrevious = void 0;
        }
        let limit = chunk.length;
        const lastCode = chunk.charCodeAt(limit - 1);
        if (!end && // A trailing CR or surrogate must be carried over to the next
        // chunk.
        (lastCode === CR || lastCode >= 55296 && lastCode <= 56319)) {
          this.carriedFromPrevious = chunk[limit - 1];
          limit--;
          chunk = chunk.slice(0, limit);
        }
        const { stateTable } = this;
        this.chunk = chunk;
        this.i = 0;
        while (this.i < limit) {
          stateTable[this.state].call(this);
        }
        this.chunkPosition += limit;
        return end ? this.end() : this;
      }
      /**
       * Close the current stream. Perform final well-formedness checks and reset
       * the parser tstate.
       *
       * @returns this
       */
      close() {
        return this.write(null);
      }
      /**
       * Get a single code point out of the current chunk. This updates the current
       * position if we do position tracking.
       *
       * This is the algorithm to use for XML 1.0.
       *
       * @returns The character read.
       */
      getCode10() {
        const { chunk, i } = this;
        this.prevI = i;
        this.i = i + 1;
        if (i >= chunk.length) {
          return EOC;
        }
        const code = chunk.charCodeAt(i);
        this.column++;
        if (code < 55296) {
          if (code >= SPACE || code === TAB) {
            return code;
          }
          switch (code) {
            case NL:
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL;
            case CR:
              if (chunk.charCodeAt(i + 1) === NL) {
                this.i = i + 2;
              }
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL_LIKE;
            default:
              this.fail("disallowed character.");
              return code;
          }
        }
        if (code > 56319) {
          if (!(code >= 57344 && code <= 65533)) {
            this.fail("disallowed character.");
          }
          return code;
        }
        const final = 65536 + (code - 55296) * 1024 + (chunk.charCodeAt(i + 1) - 56320);
        this.i = i + 2;
        if (final > 1114111) {
          this.fail("disallowed character.");
        }
        return final;
      }
      /**
       * Get a single code point out of the current chunk. This updates the current
       * position if we do position tracking.
       *
       * This is the algorithm to use for XML 1.1.
       *
       * @returns {number} The character read.
       */
      getCode11() {
        const { chunk, i } = this;
        this.prevI = i;
        this.i = i + 1;
        if (i >= chunk.length) {
          return EOC;
        }
        const code = chunk.charCodeAt(i);
        this.column++;
        if (code < 55296) {
          if (code > 31 && code < 127 || code > 159 && code !== LS || code === TAB) {
            return code;
          }
          switch (code) {
            case NL:
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL;
            case CR: {
              const next = chunk.charCodeAt(i + 1);
              if (next === NL || next === NEL) {
                this.i = i + 2;
              }
            }
            /* yes, fall through */
            case NEL:
            // 0x85
            case LS:
              this.line++;
              this.column = 0;
              this.positionAtNewLine = this.position;
              return NL_LIKE;
            default:
              this.fail("disallowed character.");
              return code;
          }
        }
        if (code > 56319) {
          if (!(code >= 57344 && code <= 65533)) {
            this.fail("disallowed character.");
          }
          return code;
        }
        const final = 65536 + (code - 55296) * 1024 + (chunk.charCodeAt(i + 1) - 56320);
        this.i = i + 2;
        if (final > 1114111) {
          this.fail("disallowed character.");
        }
        return final;
      }
      /**
       * Like ``getCode`` but with the return value normalized so that ``NL`` is
       * returned for ``NL_LIKE``.
       */
      getCodeNorm() {
        const c = this.getCode();
        return c === NL_LIKE ? NL : c;
      }
      unget() {
        this.i = this.prevI;
        this.column--;
      }
      /**
       * Capture characters into a buffer until encountering one of a set of
       * characters.
       *
       * @param chars An array of codepoints. Encountering a character in the array
       * ends the capture. (``chars`` may safely contain ``NL``.)
       *
       * @return The character code that made the capture end, or ``EOC`` if we hit
       * the end of the chunk. The return value cannot be NL_LIKE: NL is returned
       * instead.
       */
      captureTo(chars) {
        let { i: start } = this;
        const { chunk } = this;
        while (true) {
          const c = this.getCode();
          const isNLLike = c === NL_LIKE;
          const final = isNLLike ? NL : c;
          if (final === EOC || chars.includes(final)) {
            this.text += chunk.slice(start, this.prevI);
            return final;
          }
          if (isNLLike) {
            this.text += `${chunk.slice(start, this.prevI)}
`;
            start = this.i;
          }
        }
      }
      /**
       * Capture characters into a buffer until encountering a character.
       *
       * @param char The codepoint that ends the capture. **NOTE ``char`` MAY NOT
       * CONTAIN ``NL``.** Passing ``NL`` will result in buggy behavior.
       *
       * @return ``true`` if we ran into the character. Otherwise, we ran into the
       * end of the current chunk.
       */
      captureToChar(char) {
        let { i: start } = this;
        const { chunk } = this;
        while (true) {
          let c = this.getCode();
          switch (c) {
            case NL_LIKE:
              this.text += `${chunk.slice(start, this.prevI)}
`;
              start = this.i;
              c = NL;
              break;
            case EOC:
              this.text += chunk.slice(start);
              return false;
            default:
          }
          if (c === char) {
            this.text += chunk.slice(start, this.prevI);
            return true;
          }
        }
      }
      /**
       * Capture characters that satisfy ``isNameChar`` into the ``name`` field of
       * this parser.
       *
       * @return The character code that made the test fail, or ``EOC`` if we hit
       * the end of the chunk. The return value cannot be NL_LIKE: NL is returned
       * instead.
       */
      captureNameChars() {
        const { chunk, i: start } = this;
        while (true) {
          const c = this.getCode();
          if (c === EOC) {
            this.name += chunk.slice(start);
            return EOC;
          }
          if (!isNameChar(c)) {
            this.name += chunk.slice(start, this.prevI);
            return c === NL_LIKE ? NL : c;
          }
        }
      }
      /**
       * Skip white spaces.
       *
       * @return The character that ended the skip, or ``EOC`` if we hit
       * the end of the chunk. The return value cannot be NL_LIKE: NL is returned
       * instead.
       */
      skipSpaces() {
        while (true) {
          const c = this.getCodeNorm();
          if (c === EOC || !isS(c)) {
            return c;
          }
        }
      }
      setXMLVersion(version) {
        this.currentXMLVersion = version;
        if (version === "1.0") {
          this.isChar = isChar10;
          this.getCode = this.getCode10;
        } else {
          this.isChar = isChar11;
          this.getCode = this.getCode11;
        }
      }
      // STATE ENGINE METHODS
      // This needs to be a state separate from S_BEGIN_WHITESPACE because we want
      // to be sure never to come back to this state later.
      sBegin() {
        if (this.chunk.charCodeAt(0) === 65279) {
          this.i++;
          this.column++;
        }
        this.state = S_BEGIN_WHITESPACE;
      }
      sBeginWhitespace() {
        const iBefore = this.i;
        const c = this.skipSpaces();
        if (this.prevI !== iBefore) {
          this.xmlDeclPossible = false;
        }
        switch (c) {
          case LESS:
            this.state = S_OPEN_WAKA;
            if (this.text.length !== 0) {
              throw new Error("no-empty text at start");
            }
            break;
          case EOC:
            break;
          default:
            this.unget();
            this.state = S_TEXT;
            this.xmlDeclPossible = false;
        }
      }
      sDoctype() {
        var _a;
        const c = this.captureTo(DOCTYPE_TERMINATOR);
        switch (c) {
          case GREATER: {
            (_a = this.doctypeHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.text);
            this.text = "";
            this.state = S_TEXT;
            this.doctype = true;
            break;
          }
          case EOC:
            break;
          default:
            this.text += String.fromCodePoint(c);
            if (c === OPEN_BRACKET) {
              this.state = S_DTD;
            } else if (isQuote(c)) {
              this.state = S_DOCTYPE_QUOTE;
              this.q = c;
            }
        }
      }
      sDoctypeQuote() {
        const q = this.q;
        if (this.captureToChar(q)) {
          this.text += String.fromCodePoint(q);
          this.q = null;
          this.state = S_DOCTYPE;
        }
      }
      sDTD() {
        const c = this.captureTo(DTD_TERMINATOR);
        if (c === EOC) {
          return;
        }
        this.text += String.fromCodePoint(c);
        if (c === CLOSE_BRACKET) {
          this.state = S_DOCTYPE;
        } else if (c === LESS) {
          this.state = S_DTD_OPEN_WAKA;
        } else if (isQuote(c)) {
          this.state = S_DTD_QUOTED;
          this.q = c;
        }
      }
      sDTDQuoted() {
        const q = this.q;
        if (this.captureToChar(q)) {
          this.text += String.fromCodePoint(q);
          this.state = S_DTD;
          this.q = null;
        }
      }
      sDTDOpenWaka() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        switch (c) {
          case BANG:
            this.state = S_DTD_OPEN_WAKA_BANG;
            this.openWakaBang = "";
            break;
          case QUESTION:
            this.state = S_DTD_PI;
            break;
          default:
            this.state = S_DTD;
        }
      }
      sDTDOpenWakaBang() {
        const char = String.fromCodePoint(this.getCodeNorm());
        const owb = this.openWakaBang += char;
        this.text += char;
        if (owb !== "-") {
          this.state = owb === "--" ? S_DTD_COMMENT : S_DTD;
          this.openWakaBang = "";
        }
      }
      sDTDComment() {
        if (this.captureToChar(MINUS)) {
          this.text += "-";
          this.state = S_DTD_COMMENT_ENDING;
        }
      }
      sDTDCommentEnding() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        this.state = c === MINUS ? S_DTD_COMMENT_ENDED : S_DTD_COMMENT;
      }
      sDTDCommentEnded() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        if (c === GREATER) {
          this.state = S_DTD;
        } else {
          this.fail("malformed comment.");
          this.state = S_DTD_COMMENT;
        }
      }
      sDTDPI() {
        if (this.captureToChar(QUESTION)) {
          this.text += "?";
          this.state = S_DTD_PI_ENDING;
        }
      }
      sDTDPIEnding() {
        const c = this.getCodeNorm();
        this.text += String.fromCodePoint(c);
        if (c === GREATER) {
          this.state = S_DTD;
        }
      }
      sText() {
        if (this.tags.length !== 0) {
          this.handleTextInRoot();
        } else {
          this.handleTextOutsideRoot();
        }
      }
      sEntity() {
        let { i: start } = this;
        const { chunk } = this;
        loop:
          while (true) {
            switch (this.getCode()) {
              case NL_LIKE:
                this.entity += `${chunk.slice(start, this.prevI)}
`;
                start = this.i;
                break;
              case SEMICOLON: {
                const { entityReturnState } = this;
                const entity = this.entity + chunk.slice(start, this.prevI);
                this.state = entityReturnState;
                let parsed;
                if (entity === "") {
                  this.fail("empty entity name.");
                  parsed = "&;";
                } else {
                  parsed = this.parseEntity(entity);
                  this.entity = "";
                }
                if (entityReturnState !== S_TEXT || this.textHandler !== void 0) {
                  this.text += parsed;
                }
                break loop;
              }
              case EOC:
                this.entity += chunk.slice(start);
                break loop;
              default:
            }
          }
      }
      sOpenWaka() {
        const c = this.getCode();
        if (isNameStartChar(c)) {
          this.state = S_OPEN_TAG;
          this.unget();
          this.xmlDeclPossible = false;
        } else {
          switch (c) {
            case FORWARD_SLASH:
              this.state = S_CLOSE_TAG;
              this.xmlDeclPossible = false;
              break;
            case BANG:
              this.state = S_OPEN_WAKA_BANG;
              this.openWakaBang = "";
              this.xmlDeclPossible = false;
              break;
            case QUESTION:
              this.state = S_PI_FIRST_CHAR;
              break;
            default:
              this.fail("disallowed character in tag name");
              this.state = S_TEXT;
              this.xmlDeclPossible = false;
          }
        }
      }
      sOpenWakaBang() {
        this.openWakaBang += String.fromCodePoint(this.getCodeNorm());
        switch (this.openWakaBang) {
          case "[CDATA[":
            if (!this.sawRoot && !this.reportedTextBeforeRoot) {
              this.fail("text data outside of root node.");
              this.reportedTextBeforeRoot = true;
            }
            if (this.closedRoot && !this.reportedTextAfterRoot) {
              this.fail("text data outside of root node.");
              this.reportedTextAfterRoot = true;
            }
            this.state = S_CDATA;
            this.openWakaBang = "";
            break;
          case "--":
            this.state = S_COMMENT;
            this.openWakaBang = "";
            break;
          case "DOCTYPE":
            this.state = S_DOCTYPE;
            if (this.doctype || this.sawRoot) {
              this.fail("inappropriately located doctype declaration.");
            }
            this.openWakaBang = "";
            break;
          default:
            if (this.openWakaBang.length >= 7) {
              this.fail("incorrect syntax.");
            }
        }
      }
      sComment() {
        if (this.captureToChar(MINUS)) {
          this.state = S_COMMENT_ENDING;
        }
      }
      sCommentEnding() {
        var _a;
        const c = this.getCodeNorm();
        if (c === MINUS) {
          this.state = S_COMMENT_ENDED;
          (_a = this.commentHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.text);
          this.text = "";
        } else {
          this.text += `-${String.fromCodePoint(c)}`;
          this.state = S_COMMENT;
        }
      }
      sCommentEnded() {
        const c = this.getCodeNorm();
        if (c !== GREATER) {
          this.fail("malformed comment.");
          this.text += `--${String.fromCodePoint(c)}`;
          this.state = S_COMMENT;
        } else {
          this.state = S_TEXT;
        }
      }
      sCData() {
        if (this.captureToChar(CLOSE_BRACKET)) {
          this.state = S_CDATA_ENDING;
        }
      }
      sCDataEnding() {
        const c = this.getCodeNorm();
        if (c === CLOSE_BRACKET) {
          this.state = S_CDATA_ENDING_2;
        } else {
          this.text += `]${String.fromCodePoint(c)}`;
          this.state = S_CDATA;
        }
      }
      sCDataEnding2() {
        var _a;
        const c = this.getCodeNorm();
        switch (c) {
          case GREATER: {
            (_a = this.cdataHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.text);
            this.text = "";
            this.state = S_TEXT;
            break;
          }
          case CLOSE_BRACKET:
            this.text += "]";
            break;
          default:
            this.text += `]]${String.fromCodePoint(c)}`;
            this.state = S_CDATA;
        }
      }
      // We need this separate state to check the first character fo the pi target
      // with this.nameStartCheck which allows less characters than this.nameCheck.
      sPIFirstChar() {
        const c = this.getCodeNorm();
        if (this.nameStartCheck(c)) {
          this.piTarget += String.fromCodePoint(c);
          this.state = S_PI_REST;
        } else if (c === QUESTION || isS(c)) {
          this.fail("processing instruction without a target.");
          this.state = c === QUESTION ? S_PI_ENDING : S_PI_BODY;
        } else {
          this.fail("disallowed character in processing instruction name.");
          this.piTarget += String.fromCodePoint(c);
          this.state = S_PI_REST;
        }
      }
      sPIRest() {
        const { chunk, i: start } = this;
        while (true) {
          const c = this.getCodeNorm();
          if (c === EOC) {
            this.piTarget += chunk.slice(start);
            return;
          }
          if (!this.nameCheck(c)) {
            this.piTarget += chunk.slice(start, this.prevI);
            const isQuestion = c === QUESTION;
            if (isQuestion || isS(c)) {
              if (this.piTarget === "xml") {
                if (!this.xmlDeclPossible) {
                  this.fail("an XML declaration must be at the start of the document.");
                }
                this.state = isQuestion ? S_XML_DECL_ENDING : S_XML_DECL_NAME_START;
              } else {
                this.state = isQuestion ? S_PI_ENDING : S_PI_BODY;
              }
            } else {
              this.fail("disallowed character in processing instruction name.");
              this.piTarget += String.fromCodePoint(c);
            }
            break;
          }
        }
      }
      sPIBody() {
        if (this.text.length === 0) {
          const c = this.getCodeNorm();
          if (c === QUESTION) {
            this.state = S_PI_ENDING;
          } else if (!isS(c)) {
            this.text = String.fromCodePoint(c);
          }
        } else if (this.captureToChar(QUESTION)) {
          this.state = S_PI_ENDING;
        }
      }
      sPIEnding() {
        var _a;
        const c = this.getCodeNorm();
        if (c === GREATER) {
          const { piTarget } = this;
          if (piTarget.toLowerCase() === "xml") {
            this.fail("the XML declaration must appear at the start of the document.");
          }
          (_a = this.piHandler) === null || _a === void 0 ? void 0 : _a.call(this, {
            target: piTarget,
            body: this.text
          });
          this.piTarget = this.text = "";
          this.state = S_TEXT;
        } else if (c === QUESTION) {
          this.text += "?";
        } else {
          this.text += `?${String.fromCodePoint(c)}`;
          this.state = S_PI_BODY;
        }
        this.xmlDeclPossible = false;
      }
      sXMLDeclNameStart() {
        const c = this.skipSpaces();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          return;
        }
        if (c !== EOC) {
          this.state = S_XML_DECL_NAME;
          this.name = String.fromCodePoint(c);
        }
      }
      sXMLDeclName() {
        const c = this.captureTo(XML_DECL_NAME_TERMINATOR);
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.name += this.text;
          this.text = "";
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (!(isS(c) || c === EQUAL)) {
          return;
        }
        this.name += this.text;
        this.text = "";
        if (!this.xmlDeclExpects.includes(this.name)) {
          switch (this.name.length) {
            case 0:
              this.fail("did not expect any more name/value pairs.");
              break;
            case 1:
              this.fail(`expected the name ${this.xmlDeclExpects[0]}.`);
              break;
            default:
              this.fail(`expected one of ${this.xmlDeclExpects.join(", ")}`);
          }
        }
        this.state = c === EQUAL ? S_XML_DECL_VALUE_START : S_XML_DECL_EQ;
      }
      sXMLDeclEq() {
        const c = this.getCodeNorm();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (isS(c)) {
          return;
        }
        if (c !== EQUAL) {
          this.fail("value required.");
        }
        this.state = S_XML_DECL_VALUE_START;
      }
      sXMLDeclValueStart() {
        const c = this.getCodeNorm();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (isS(c)) {
          return;
        }
        if (!isQuote(c)) {
          this.fail("value must be quoted.");
          this.q = SPACE;
        } else {
          this.q = c;
        }
        this.state = S_XML_DECL_VALUE;
      }
      sXMLDeclValue() {
        const c = this.captureTo([this.q, QUESTION]);
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          this.text = "";
          this.fail("XML declaration is incomplete.");
          return;
        }
        if (c === EOC) {
          return;
        }
        const value = this.text;
        this.text = "";
        switch (this.name) {
          case "version": {
            this.xmlDeclExpects = ["encoding", "standalone"];
            const version = value;
            this.xmlDecl.version = version;
            if (!/^1\.[0-9]+$/.test(version)) {
              this.fail("version number must match /^1\\.[0-9]+$/.");
            } else if (!this.opt.forceXMLVersion) {
              this.setXMLVersion(version);
            }
            break;
          }
          case "encoding":
            if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(value)) {
              this.fail("encoding value must match /^[A-Za-z0-9][A-Za-z0-9._-]*$/.");
            }
            this.xmlDeclExpects = ["standalone"];
            this.xmlDecl.encoding = value;
            break;
          case "standalone":
            if (value !== "yes" && value !== "no") {
              this.fail('standalone value must match "yes" or "no".');
            }
            this.xmlDeclExpects = [];
            this.xmlDecl.standalone = value;
            break;
          default:
        }
        this.name = "";
        this.state = S_XML_DECL_SEPARATOR;
      }
      sXMLDeclSeparator() {
        const c = this.getCodeNorm();
        if (c === QUESTION) {
          this.state = S_XML_DECL_ENDING;
          return;
        }
        if (!isS(c)) {
          this.fail("whitespace required.");
          this.unget();
        }
        this.state = S_XML_DECL_NAME_START;
      }
      sXMLDeclEnding() {
        var _a;
        const c = this.getCodeNorm();
        if (c === GREATER) {
          if (this.piTarget !== "xml") {
            this.fail("processing instructions are not allowed before root.");
          } else if (this.name !== "version" && this.xmlDeclExpects.includes("version")) {
            this.fail("XML declaration must contain a version.");
          }
          (_a = this.xmldeclHandler) === null || _a === void 0 ? void 0 : _a.call(this, this.xmlDecl);
          this.name = "";
          this.piTarget = this.text = "";
          this.state = S_TEXT;
        } else {
          this.fail("The character ? is disallowed anywhere in XML declarations.");
        }
        this.xmlDeclPossible = false;
      }
      sOpenTag() {
        var _a;
        const c = this.captureNameChars();
        if (c === EOC) {
          return;
        }
        const tag = this.tag = {
          name: this.name,
          attributes: /* @__PURE__ */ Object.create(null)
        };
        this.name = "";
        if (this.xmlnsOpt) {
          this.topNS = tag.ns = /* @__PURE__ */ Object.create(null);
        }
        (_a = this.openTagStartHandler) === null || _a === void 0 ? void 0 : _a.call(this, tag);
        this.sawRoot = true;
        if (!this.fragmentOpt && this.closedRoot) {
          this.fail("documents may contain only one root.");
        }
        switch (c) {
          case GREATER:
            this.openTag();
            break;
          case FORWARD_SLASH:
            this.state = S_OPEN_TAG_SLASH;
            break;
          default:
            if (!isS(c)) {
              this.fail("disallowed character in tag name.");
            }
            this.state = S_ATTRIB;
        }
      }
      sOpenTagSlash() {
        if (this.getCode() === GREATER) {
          this.openSelfClosingTag();
        } else {
          this.fail("forward-slash in opening tag not followed by >.");
          this.state = S_ATTRIB;
        }
      }
      sAttrib() {
        const c = this.skipSpaces();
        if (c === EOC) {
          return;
        }
        if (isNameStartChar(c)) {
          this.unget();
          this.state = S_ATTRIB_NAME;
        } else if (c === GREATER) {
          this.openTag();
        } else if (c === FORWARD_SLASH) {
          this.state = S_OPEN_TAG_SLASH;
        } else {
          this.fail("disallowed character in attribute name.");
        }
      }
      sAttribName() {
        const c = this.captureNameChars();
        if (c === EQUAL) {
          this.state = S_ATTRIB_VALUE;
        } else if (isS(c)) {
          this.state = S_ATTRIB_NAME_SAW_WHITE;
        } else if (c === GREATER) {
          this.fail("attribute without value.");
          this.pushAttrib(this.name, this.name);
          this.name = this.text = "";
          this.openTag();
        } else if (c !== EOC) {
          this.fail("disallowed character in attribute name.");
        }
      }
      sAttribNameSawWhite() {
        const c = this.skipSpaces();
        switch (c) {
          case EOC:
            return;
          case EQUAL:
            this.state = S_ATTRIB_VALUE;
            break;
          default:
            this.fail("attribute without value.");
            this.text = "";
            this.name = "";
            if (c === GREATER) {
              this.openTag();
            } else if (isNameStartChar(c)) {
              this.unget();
              this.state = S_ATTRIB_NAME;
            } else {
              this.fail("disallowed character in attribute name.");
              this.state = S_ATTRIB;
            }
        }
      }
      sAttribValue() {
        const c = this.getCodeNorm();
        if (isQuote(c)) {
          this.q = c;
          this.state = S_ATTRIB_VALUE_QUOTED;
        } else if (!isS(c)) {
          this.fail("unquoted attribute value.");
          this.state = S_ATTRIB_VALUE_UNQUOTED;
          this.unget();
        }
      }
      sAttribValueQuoted() {
        const { q, chunk } = this;
        let { i: start } = this;
        while (true) {
          switch (this.getCode()) {
            case q:
              this.pushAttrib(this.name, this.text + chunk.slice(start, this.prevI));
              this.name = this.text = "";
              this.q = null;
              this.state = S_ATTRIB_VALUE_CLOSED;
              return;
            case AMP:
              this.text += chunk.slice(start, this.prevI);
              this.state = S_ENTITY;
              this.entityReturnState = S_ATTRIB_VALUE_QUOTED;
              return;
            case NL:
            case NL_LIKE:
            case TAB:
              this.text += `${chunk.slice(start, this.prevI)} `;
              start = this.i;
              break;
            case LESS:
              this.text += chunk.slice(start, this.prevI);
              this.fail("disallowed character.");
              return;
            case EOC:
              this.text += chunk.slice(start);
              return;
            default:
          }
        }
      }
      sAttribValueClosed() {
        const c = this.getCodeNorm();
        if (isS(c)) {
          this.state = S_ATTRIB;
        } else if (c === GREATER) {
          this.openTag();
        } else if (c === FORWARD_SLASH) {
          this.state = S_OPEN_TAG_SLASH;
        } else if (isNameStartChar(c)) {
          this.fail("no whitespace between attributes.");
          this.unget();
          this.state = S_ATTRIB_NAME;
        } else {
          this.fail("disallowed character in attribute name.");
        }
      }
      sAttribValueUnquoted() {
        const c = this.captureTo(ATTRIB_VALUE_UNQUOTED_TERMINATOR);
        switch (c) {
          case AMP:
            this.state = S_ENTITY;
            this.entityReturnState = S_ATTRIB_VALUE_UNQUOTED;
            break;
          case LESS:
            this.fail("disallowed character.");
            break;
          case EOC:
            break;
          default:
            if (this.text.includes("]]>")) {
              this.fail('the string "]]>" is disallowed in char data.');
            }
            this.pushAttrib(this.name, this.text);
            this.name = this.text = "";
            if (c === GREATER) {
              this.openTag();
            } else {
              this.state = S_ATTRIB;
            }
        }
      }
      sCloseTag() {
        const c = this.captureNameChars();
        if (c === GREATER) {
          this.closeTag();
        } else if (isS(c)) {
          this.state = S_CLOSE_TAG_SAW_WHITE;
        } else if (c !== EOC) {
          this.fail("disallowed character in closing tag.");
        }
      }
      sCloseTagSawWhite() {
        switch (this.skipSpaces()) {
          case GREATER:
            this.closeTag();
            break;
          case EOC:
            break;
          default:
            this.fail("disallowed character in closing tag.");
        }
      }
      // END OF STATE ENGINE METHODS
      handleTextInRoot() {
        let { i: start, forbiddenState } = this;
        const { chunk, textHandler: handler } = this;
        scanLoop:
          while (true) {
            switch (this.getCode()) {
              case LESS: {
                this.state = S_OPEN_WAKA;
                if (handler !== void 0) {
                  const { text: text2 } = this;
                  const slice = chunk.slice(start, this.prevI);
                  if (text2.length !== 0) {
                    handler(text2 + slice);
                    this.text = "";
                  } else if (slice.length !== 0) {
                    handler(slice);
                  }
                }
                forbiddenState = FORBIDDEN_START;
                break scanLoop;
              }
              case AMP:
                this.state = S_ENTITY;
                this.entityReturnState = S_TEXT;
                if (handler !== void 0) {
                  this.text += chunk.slice(start, this.prevI);
                }
                forbiddenState = FORBIDDEN_START;
                break scanLoop;
              case CLOSE_BRACKET:
                switch (forbiddenState) {
                  case FORBIDDEN_START:
                    forbiddenState = FORBIDDEN_BRACKET;
                    break;
                  case FORBIDDEN_BRACKET:
                    forbiddenState = FORBIDDEN_BRACKET_BRACKET;
                    break;
                  case FORBIDDEN_BRACKET_BRACKET:
                    break;
                  default:
                    throw new Error("impossible state");
                }
                break;
              case GREATER:
                if (forbiddenState === FORBIDDEN_BRACKET_BRACKET) {
                  this.fail('the string "]]>" is disallowed in char data.');
                }
                forbiddenState = FORBIDDEN_START;
                break;
              case NL_LIKE:
                if (handler !== void 0) {
                  this.text += `${chunk.slice(start, this.prevI)}
`;
                }
                start = this.i;
                forbiddenState = FORBIDDEN_START;
                break;
              case EOC:
                if (handler !== void 0) {
                  this.text += chunk.slice(start);
                }
                break scanLoop;
              default:
                forbiddenState = FORBIDDEN_START;
            }
          }
        this.forbiddenState = forbiddenState;
      }
      handleTextOutsideRoot() {
        let { i: start } = this;
        const { chunk, textHandler: handler } = this;
        let nonSpace = false;
        outRootLoop:
          while (true) {
            const code = this.getCode();
            switch (code) {
              case LESS: {
                this.state = S_OPEN_WAKA;
                if (handler !== void 0) {
                  const { text: text2 } = this;
                  const slice = chunk.slice(start, this.prevI);
                  if (text2.length !== 0) {
                    handler(text2 + slice);
                    this.text = "";
                  } else if (slice.length !== 0) {
                    handler(slice);
                  }
                }
                break outRootLoop;
              }
              case AMP:
                this.state = S_ENTITY;
                this.entityReturnState = S_TEXT;
                if (handler !== void 0) {
                  this.text += chunk.slice(start, this.prevI);
                }
                nonSpace = true;
                break outRootLoop;
              case NL_LIKE:
                if (handler !== void 0) {
                  this.text += `${chunk.slice(start, this.prevI)}
`;
                }
                start = this.i;
                break;
              case EOC:
                if (handler !== void 0) {
                  this.text += chunk.slice(start);
                }
                break outRootLoop;
              default:
                if (!isS(code)) {
                  nonSpace = true;
                }
            }
          }
        if (!nonSpace) {
          return;
        }
        if (!this.sawRoot && !this.reportedTextBeforeRoot) {
          this.fail("text data outside of root node.");
          this.reportedTextBeforeRoot = true;
        }
        if (this.closedRoot && !this.reportedTextAfterRoot) {
          this.fail("text data outside of root node.");
          this.reportedTextAfterRoot = true;
        }
      }
      pushAttribNS(name, value) {
        var _a;
        const { prefix, local } = this.qname(name);
        const attr2 = { name, prefix, local, value };
        this.attribList.push(attr2);
        (_a = this.attributeHandler) === null || _a === void 0 ? void 0 : _a.call(this, attr2);
        if (prefix === "xmlns") {
          const trimmed = value.trim();
          if (this.currentXMLVersion === "1.0" && trimmed === "") {
            this.fail("invalid attempt to undefine prefix in XML 1.0");
          }
          this.topNS[local] = trimmed;
          nsPairCheck(this, local, trimmed);
        } else if (name === "xmlns") {
          const trimmed = value.trim();
          this.topNS[""] = trimmed;
          nsPairCheck(this, "", trimmed);
        }
      }
      pushAttribPlain(name, value) {
        var _a;
        const attr2 = { name, value };
        this.attribList.push(attr2);
        (_a = this.attributeHandler) === null || _a === void 0 ? void 0 : _a.call(this, attr2);
      }
      /**
       * End parsing. This performs final well-formedness checks and resets the
       * parser to a clean state.
       *
       * @returns this
       */
      end() {
        var _a, _b;
        if (!this.sawRoot) {
          this.fail("document must contain a root element.");
        }
        const { tags } = this;
        while (tags.length > 0) {
          const tag = tags.pop();
          this.fail(`unclosed tag: ${tag.name}`);
        }
        if (this.state !== S_BEGIN && this.state !== S_TEXT) {
          this.fail("unexpected end.");
        }
        const { text: text2 } = this;
        if (text2.length !== 0) {
          (_a = this.textHandler) === null || _a === void 0 ? void 0 : _a.call(this, text2);
          this.text = "";
        }
        this._closed = true;
        (_b = this.endHandler) === null || _b === void 0 ? void 0 : _b.call(this);
        this._init();
        return this;
      }
      /**
       * Resolve a namespace prefix.
       *
       * @param prefix The prefix to resolve.
       *
       * @returns The namespace URI or ``undefined`` if the prefix is not defined.
       */
      resolve(prefix) {
        var _a, _b;
        let uri = this.topNS[prefix];
        if (uri !== void 0) {
          return uri;
        }
        const { tags } = this;
        for (let index = tags.length - 1; index >= 0; index--) {
          uri = tags[index].ns[prefix];
          if (uri !== void 0) {
            return uri;
          }
        }
        uri = this.ns[prefix];
        if (uri !== void 0) {
          return uri;
        }
        return (_b = (_a = this.opt).resolvePrefix) === null || _b === void 0 ? void 0 : _b.call(_a, prefix);
      }
      /**
       * Parse a qname into its prefix and local name parts.
       *
       * @param name The name to parse
       *
       * @returns
       */
      qname(name) {
        const colon = name.indexOf(":");
        if (colon === -1) {
          return { prefix: "", local: name };
        }
        const local = name.slice(colon + 1);
        const prefix = name.slice(0, colon);
        if (prefix === "" || local === "" || local.includes(":")) {
          this.fail(`malformed name: ${name}.`);
        }
        return { prefix, local };
      }
      processAttribsNS() {
        var _a;
        const { attribList } = this;
        const tag = this.tag;
        {
          const { prefix, local } = this.qname(tag.name);
          tag.prefix = prefix;
          tag.local = local;
          const uri = tag.uri = (_a = this.resolve(prefix)) !== null && _a !== void 0 ? _a : "";
          if (prefix !== "") {
            if (prefix === "xmlns") {
              this.fail('tags may not have "xmlns" as prefix.');
            }
            if (uri === "") {
              this.fail(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
              tag.uri = prefix;
            }
          }
        }
        if (attribList.length === 0) {
          return;
        }
        const { attributes } = tag;
        const seen = /* @__PURE__ */ new Set();
        for (const attr2 of attribList) {
          const { name, prefix, local } = attr2;
          let uri;
          let eqname;
          if (prefix === "") {
            uri = name === "xmlns" ? XMLNS_NAMESPACE : "";
            eqname = name;
          } else {
            uri = this.resolve(prefix);
            if (uri === void 0) {
              this.fail(`unbound namespace prefix: ${JSON.stringify(prefix)}.`);
              uri = prefix;
            }
            eqname = `{${uri}}${local}`;
          }
          if (seen.has(eqname)) {
            this.fail(`duplicate attribute: ${eqname}.`);
          }
          seen.add(eqname);
          attr2.uri = uri;
          attributes[name] = attr2;
        }
        this.attribList = [];
      }
      processAttribsPlain() {
        const { attribList } = this;
        const attributes = this.tag.attributes;
        for (const { name, value } of attribList) {
          if (attributes[name] !== void 0) {
            this.fail(`duplicate attribute: ${name}.`);
          }
          attributes[name] = value;
        }
        this.attribList = [];
      }
      /**
       * Handle a complete open tag. This parser code calls this once it has seen
       * the whole tag. This method checks for well-formeness and then emits
       * ``onopentag``.
       */
      openTag() {
        var _a;
        this.processAttribs();
        const { tags } = this;
        const tag = this.tag;
        tag.isSelfClosing = false;
        (_a = this.openTagHandler) === null || _a === void 0 ? void 0 : _a.call(this, tag);
        tags.push(tag);
        this.state = S_TEXT;
        this.name = "";
      }
      /**
       * Handle a complete self-closing tag. This parser code calls this once it has
       * seen the whole tag. This method checks for well-formeness and then emits
       * ``onopentag`` and ``onclosetag``.
       */
      openSelfClosingTag() {
        var _a, _b, _c;
        this.processAttribs();
        const { tags } = this;
        const tag = this.tag;
        tag.isSelfClosing = true;
        (_a = this.openTagHandler) === null || _a === void 0 ? void 0 : _a.call(this, tag);
        (_b = this.closeTagHandler) === null || _b === void 0 ? void 0 : _b.call(this, tag);
        const top = this.tag = (_c = tags[tags.length - 1]) !== null && _c !== void 0 ? _c : null;
        if (top === null) {
          this.closedRoot = true;
        }
        this.state = S_TEXT;
        this.name = "";
      }
      /**
       * Handle a complete close tag. This parser code calls this once it has seen
       * the whole tag. This method checks for well-formeness and then emits
       * ``onclosetag``.
       */
      closeTag() {
        const { tags, name } = this;
        this.state = S_TEXT;
        this.name = "";
        if (name === "") {
          this.fail("weird empty close tag.");
          this.text += "</>";
          return;
        }
        const handler = this.closeTagHandler;
        let l = tags.length;
        while (l-- > 0) {
          const tag = this.tag = tags.pop();
          this.topNS = tag.ns;
          handler === null || handler === void 0 ? void 0 : handler(tag);
          if (tag.name === name) {
            break;
          }
          this.fail("unexpected close tag.");
        }
        if (l === 0) {
          this.closedRoot = true;
        } else if (l < 0) {
          this.fail(`unmatched closing tag: ${name}.`);
          this.text += `</${name}>`;
        }
      }
      /**
       * Resolves an entity. Makes any necessary well-formedness checks.
       *
       * @param entity The entity to resolve.
       *
       * @returns The parsed entity.
       */
      parseEntity(entity) {
        if (entity[0] !== "#") {
          const defined = this.ENTITIES[entity];
          if (defined !== void 0) {
            return defined;
          }
          this.fail(this.isName(entity) ? "undefined entity." : "disallowed character in entity name.");
          return `&${entity};`;
        }
        let num = NaN;
        if (entity[1] === "x" && /^#x[0-9a-f]+$/i.test(entity)) {
          num = parseInt(entity.slice(2), 16);
        } else if (/^#[0-9]+$/.test(entity)) {
          num = parseInt(entity.slice(1), 10);
        }
        if (!this.isChar(num)) {
          this.fail("malformed character entity.");
          return `&${entity};`;
        }
        return String.fromCodePoint(num);
      }
    };
    exports.SaxesParser = SaxesParser2;
  }
});

// src/main/dmp/cda-parser-worker.ts
import { parentPort } from "node:worker_threads";

// src/shared/contract/api-error.ts
var ApiError = class extends Error {
  constructor(code, message, logDetail) {
    super(message);
    this.code = code;
    this.logDetail = logDetail;
    this.name = "ApiError";
  }
  code;
  logDetail;
};

// src/main/dmp/cda-parser-protocol.ts
function transferableBuffers(...arrays) {
  const buffers = /* @__PURE__ */ new Set();
  for (const a of arrays) {
    if (!a || !(a.buffer instanceof ArrayBuffer)) continue;
    if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.byteLength > 0) buffers.add(a.buffer);
  }
  return [...buffers];
}

// src/main/cda/errors.ts
var CdaError = class extends Error {
  code;
  userMessage;
  detail;
  constructor(code, reason, detail) {
    const userMessage = `Document CDA illisible : ${reason}`;
    super(userMessage);
    this.name = "CdaError";
    this.code = code;
    this.userMessage = userMessage;
    this.detail = detail;
  }
};

// src/main/cda/pdf.ts
function startsWithAscii(bytes, prefix) {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}
function looksLikePdf(bytes) {
  return startsWithAscii(bytes, "%PDF-");
}
function looksLikeCompletePdf(bytes) {
  if (!looksLikePdf(bytes)) return false;
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString("latin1");
  return tail.includes("%%EOF");
}

// src/main/cda/xml/tree.ts
var HL7_NS = "urn:hl7-org:v3";
var XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
function isCdaElement(el, local) {
  return el.local === local && (el.ns === HL7_NS || el.ns === "");
}
function child(el, local) {
  if (!el) return void 0;
  for (const c of el.children) if (isCdaElement(c, local)) return c;
  return void 0;
}
function children(el, local) {
  if (!el) return [];
  return el.children.filter((c) => isCdaElement(c, local));
}
function attr(el, name) {
  return el?.attrs[name];
}
function text(el) {
  if (!el) return "";
  const parts = [];
  collectText(el, parts);
  return parts.join("").replace(/\s+/g, " ").trim();
}
function collectText(el, parts) {
  for (const n of el.nodes) {
    if (typeof n === "string") parts.push(n);
    else {
      if (n.local === "br") parts.push(" ");
      collectText(n, parts);
    }
  }
}
function path(el, ...steps) {
  let current = el;
  for (const step of steps) {
    current = child(current, step);
    if (!current) return void 0;
  }
  return current;
}
function findDescendants(el, predicate) {
  const found = [];
  const stack = [...el.children].reverse();
  while (stack.length > 0) {
    const current = stack.pop();
    if (predicate(current)) found.push(current);
    for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]);
  }
  return found;
}
function templateIdsOf(el) {
  return children(el, "templateId").map((t) => attr(t, "root")).filter((r) => r !== void 0 && r !== "");
}

// src/main/cda/hl7/datatypes.ts
function hl7TimeToIso(value) {
  if (!value) return void 0;
  const m = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?)?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return void 0;
  const [, y, mo, d, h, mi, s, tz] = m;
  let iso = y;
  if (mo) iso += `-${mo}`;
  if (mo && d) iso += `-${d}`;
  if (d && h) {
    iso += `T${h}:${mi ?? "00"}:${s ?? "00"}`;
    if (tz) iso += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  }
  return iso;
}
function hl7DateToIso(value) {
  return hl7TimeToIso(value)?.slice(0, 10);
}
function timeOf(el) {
  if (!el) return {};
  const point = hl7TimeToIso(attr(el, "value"));
  if (point) return { start: point };
  const start = hl7TimeToIso(attr(child(el, "low"), "value")) ?? hl7TimeToIso(attr(child(el, "center"), "value"));
  const end = hl7TimeToIso(attr(child(el, "high"), "value"));
  return { ...start ? { start } : {}, ...end ? { end } : {} };
}
function codedOf(el) {
  if (!el) return void 0;
  const code = attr(el, "code");
  if (code) {
    const system = attr(el, "codeSystem");
    const display = attr(el, "displayName");
    return { code, ...system ? { system } : {}, ...display ? { display } : {} };
  }
  for (const t of children(el, "translation")) {
    const coded = codedOf(t);
    if (coded) return coded;
  }
  return void 0;
}
function formatName(name) {
  if (!name) return void 0;
  const given = children(name, "given").map(text).filter(Boolean);
  const family = children(name, "family").map(text).filter(Boolean);
  if (given.length === 0 && family.length === 0) return text(name) || void 0;
  return [...new Set(given.slice(0, 1)), ...new Set(family)].join(" ") || void 0;
}

// src/main/cda/narrative.ts
var TAG_MAP = {
  paragraph: "p",
  item: "li",
  table: "table",
  thead: "thead",
  tbody: "tbody",
  tfoot: "tfoot",
  tr: "tr",
  th: "th",
  td: "td",
  caption: "caption",
  content: "span",
  sub: "sub",
  sup: "sup",
  footnote: "span",
  footnoteRef: "span",
  // A link is shown as its text only: the document must never make the workstation navigate or fetch.
  linkHtml: "span"
};
var STYLE_CLASSES = {
  bold: "cda-bold",
  italics: "cda-italic",
  underline: "cda-underline",
  emphasis: "cda-emphasis",
  lrule: "cda-lrule",
  rrule: "cda-rrule",
  toprule: "cda-toprule",
  botrule: "cda-botrule"
};
var DROPPED = /* @__PURE__ */ new Set(["col", "colgroup"]);
function escapeHtml(value) {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function narrativeToHtml(textBlock) {
  if (!textBlock) return "";
  const out = [];
  renderChildren(textBlock, out);
  return out.join("").trim();
}
function renderChildren(el, out) {
  for (const node of el.nodes) {
    if (typeof node === "string") out.push(escapeHtml(node.replace(/\s+/g, " ")));
    else renderElement(node, out);
  }
}
function renderElement(el, out) {
  const name = el.local;
  if (DROPPED.has(name)) return;
  if (name === "br") {
    out.push("<br>");
    return;
  }
  if (name === "renderMultiMedia") {
    out.push('<span class="cda-multimedia">[contenu multim\xE9dia non affich\xE9]</span>');
    return;
  }
  const tag = name === "list" ? attr(el, "listType") === "ordered" ? "ol" : "ul" : TAG_MAP[name];
  if (!tag) {
    renderChildren(el, out);
    return;
  }
  out.push(`<${tag}${safeAttributes(el, tag)}>`);
  renderChildren(el, out);
  out.push(`</${tag}>`);
}
var SAFE_ANCHOR = /^[A-Za-z0-9_.-]{1,64}$/;
function anchorId(anchor) {
  return SAFE_ANCHOR.test(anchor) ? `cda-${anchor}` : void 0;
}
function safeAttributes(el, tag) {
  const parts = [];
  const anchor = el.attrs["ID"] !== void 0 ? anchorId(el.attrs["ID"]) : void 0;
  if (anchor) parts.push(` id="${anchor}"`);
  const classes = (attr(el, "styleCode") ?? "").split(/\s+/).map((s) => STYLE_CLASSES[s.toLowerCase()]).filter((c) => c !== void 0);
  if (classes.length > 0) parts.push(` class="${[...new Set(classes)].join(" ")}"`);
  if (tag === "td" || tag === "th") {
    for (const span of ["colspan", "rowspan"]) {
      const value = attr(el, span);
      if (value !== void 0 && /^[1-9]\d{0,2}$/.test(value)) parts.push(` ${span}="${value}"`);
    }
  }
  return parts.join("");
}
function narrativeIdIndex(sections) {
  const index = /* @__PURE__ */ new Map();
  for (const section of sections) {
    const block = child(section, "text");
    if (!block) continue;
    for (const el of [block, ...findDescendants(block, (e) => e.attrs["ID"] !== void 0)]) {
      const id = el.attrs["ID"];
      if (id !== void 0 && !index.has(id)) index.set(id, el);
    }
  }
  return index;
}
function narrativeRows(textBlock) {
  const rows = /* @__PURE__ */ new Map();
  if (!textBlock) return rows;
  for (const table of findDescendants(textBlock, (e) => e.local === "table")) {
    const trs = [
      ...children(table, "tr"),
      ...["thead", "tbody", "tfoot"].flatMap(
        (part) => children(table, part).flatMap((p) => children(p, "tr"))
      )
    ];
    const headerRow = trs.filter((tr) => tr.children.some((c) => c.local === "th") && children(tr, "td").length === 0).reduce(
      (widest, tr) => widest && columnTexts(widest).length > columnTexts(tr).length ? widest : tr,
      void 0
    );
    const headers = headerRow ? columnTexts(headerRow) : [];
    for (const tr of trs) {
      if (tr === headerRow || children(tr, "td").length === 0) continue;
      const cells = columnTexts(tr).map((cellText2, i) => {
        const header = headers[i];
        return header ? { header, text: cellText2 } : { text: cellText2 };
      });
      const row = { cells };
      for (const el of [tr, ...findDescendants(tr, (e) => e.attrs["ID"] !== void 0)]) {
        const id = el.attrs["ID"];
        if (id !== void 0) rows.set(id, row);
      }
    }
  }
  return rows;
}
function columnTexts(tr) {
  const out = [];
  for (const cell of tr.children.filter((c) => c.local === "td" || c.local === "th")) {
    const span = Math.min(Number(attr(cell, "colspan") ?? "1") || 1, 50);
    for (let i = 0; i < span; i++) out.push(cellText(cell));
  }
  return out;
}
function cellText(cell) {
  const parts = [];
  const walk = (el) => {
    for (const n of el.nodes) {
      if (typeof n === "string") parts.push(n);
      else {
        if (LINE_BREAKS.has(n.local)) parts.push("\n");
        walk(n);
        if (LINE_BREAKS.has(n.local)) parts.push("\n");
      }
    }
  };
  walk(cell);
  return parts.join("").split("\n").map((line) => line.replace(/\s+/g, " ").trim()).filter((line) => line !== "").join(" / ");
}
var LINE_BREAKS = /* @__PURE__ */ new Set(["br", "paragraph", "item", "tr"]);

// src/main/cda/entries/context.ts
function resolveReference(reference, ctx) {
  const value = attr(reference, "value");
  if (!value || !value.startsWith("#") || value.length < 2) return void 0;
  const target = ctx.idIndex.get(value.slice(1));
  return target ? capLabel(text(target)) : void 0;
}
var MAX_LABEL = 500;
function capLabel(value) {
  if (value === "") return void 0;
  return value.length > MAX_LABEL ? `${value.slice(0, MAX_LABEL - 1)}\u2026` : value;
}
function originalTextOf(coded, ctx) {
  const original = child(coded, "originalText");
  if (!original) return void 0;
  return resolveReference(child(original, "reference"), ctx) ?? (textWithoutReference(original) || void 0);
}
function textWithoutReference(el) {
  return el.nodes.filter((n) => typeof n === "string").join("").replace(/\s+/g, " ").trim();
}
function labelOfCoded(coded, ctx) {
  const c = codedOf(coded);
  return c?.display ?? notAnAnswer(originalTextOf(coded, ctx)) ?? c?.code;
}
function isYesNo(value) {
  return /^(oui|non|yes|no|vrai|faux)$/i.test(value.trim());
}
function notAnAnswer(value) {
  return value !== void 0 && isYesNo(value) ? void 0 : value;
}
function entryNarrative(act, ctx) {
  const textEl = child(act, "text");
  if (!textEl) return void 0;
  return notAnAnswer(
    resolveReference(child(textEl, "reference"), ctx) ?? (textWithoutReference(textEl) || void 0)
  );
}
function optional(key, value) {
  return value === void 0 || value === "" ? {} : { [key]: value };
}

// src/shared/identity/ins.ts
var insOids = {
  nir: "1.2.250.1.213.1.4.8",
  nia: "1.2.250.1.213.1.4.9",
  test: "1.2.250.1.213.1.4.10",
  demo: "1.2.250.1.213.1.4.11"
};
var insOidValues = [insOids.nir, insOids.nia, insOids.test, insOids.demo];
var matriculeSource = "[1278][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}";
var matriculePattern = new RegExp(`^${matriculeSource}$`);
var insKeyPattern = new RegExp(`^${matriculeSource}@1\\.2\\.250\\.1\\.213\\.1\\.4\\.(?:8|9|10|11)$`);
function isInsOid(oid) {
  return insOidValues.includes(oid);
}

// src/main/cda/header.ts
function readHeader(doc) {
  const idEl = child(doc, "id");
  const root = attr(idEl, "root");
  if (!root)
    throw new CdaError("not-cda", "identifiant du document absent.", "ClinicalDocument/id/@root missing");
  const extension = attr(idEl, "extension");
  const codeEl = child(doc, "code");
  const type = codedOf(codeEl);
  if (!type)
    throw new CdaError("not-cda", "type de document (code LOINC) absent.", "ClinicalDocument/code missing");
  const setIdEl = child(doc, "setId");
  const setRoot = attr(setIdEl, "root");
  const setExt = attr(setIdEl, "extension");
  const version = Number.parseInt(attr(child(doc, "versionNumber"), "value") ?? "", 10);
  const effectiveTime = hl7TimeToIso(attr(child(doc, "effectiveTime"), "value"));
  const confidentiality = attr(child(doc, "confidentialityCode"), "code");
  const author = readAuthor(child(doc, "author"));
  return {
    documentId: extension ? `${root}^${extension}` : root,
    ...setRoot ? { setId: setExt ? `${setRoot}^${setExt}` : setRoot } : {},
    ...Number.isFinite(version) ? { versionNumber: version } : {},
    title: text(child(doc, "title")) || type.display || type.code,
    type,
    ...effectiveTime ? { effectiveTime } : {},
    ...confidentiality ? { confidentiality } : {},
    templateIds: templateIdsOf(doc),
    patient: readPatient(doc),
    ...author ? { author } : {}
  };
}
function readPatient(doc) {
  const role = path(doc, "recordTarget", "patientRole");
  if (!role)
    throw new CdaError("not-cda", "patient (recordTarget) absent.", "recordTarget/patientRole missing");
  const ids = children(role, "id").flatMap((id) => {
    const root = attr(id, "root");
    const extension = attr(id, "extension");
    return root && extension ? [{ root, extension }] : [];
  });
  if (!ids.some((id) => isInsOid(id.root))) {
    throw new CdaError(
      "missing-ins",
      "INS du patient absent de l'en-t\xEAte : le document ne peut pas \xEAtre rattach\xE9 \xE0 un dossier.",
      `no patientRole/id with an INS root among ${ids.length} ids`
    );
  }
  const patient = child(role, "patient");
  const name = child(patient, "name");
  const families = children(name, "family");
  const givens = children(name, "given");
  const birthFamily = families.find((f) => attr(f, "qualifier") === "BR") ?? families[0];
  const usedFamily = families.find((f) => attr(f, "qualifier") === "CL");
  const firstNames = givens.find((g) => attr(g, "qualifier") === void 0) ?? givens[0];
  const sex = attr(child(patient, "administrativeGenderCode"), "code");
  const birthDate = hl7DateToIso(attr(child(patient, "birthTime"), "value"));
  const birthPlaceCode = text(path(patient, "birthplace", "place", "addr", "county")) || void 0;
  return {
    ids,
    ...birthFamily && text(birthFamily) ? { birthName: text(birthFamily) } : {},
    ...usedFamily && text(usedFamily) ? { usedName: text(usedFamily) } : {},
    ...firstNames && text(firstNames) ? { firstNames: text(firstNames) } : {},
    ...sex === "M" || sex === "F" || sex === "U" ? { sex } : {},
    ...birthDate ? { birthDate } : {},
    ...birthPlaceCode ? { birthPlaceCode } : {}
  };
}
function readAuthor(author) {
  return readAssigned(child(author, "assignedAuthor"), child(author, "time"));
}
function readAssigned(assigned, timeEl) {
  if (!assigned) return void 0;
  const name = formatName(path(assigned, "assignedPerson", "name"));
  const profession = codedOf(child(assigned, "code"));
  const nationalId = children(assigned, "id").map((id) => attr(id, "extension")).find((e) => e !== void 0 && e !== "");
  const organization = text(path(assigned, "representedOrganization", "name")) || void 0;
  const time = hl7TimeToIso(attr(timeEl, "value"));
  const device = text(path(assigned, "assignedAuthoringDevice", "softwareName")) || void 0;
  const shownName = name ?? device;
  return {
    ...shownName ? { name: shownName } : {},
    ...profession ? { profession } : {},
    ...nationalId ? { nationalId } : {},
    ...organization ? { organization } : {},
    ...time ? { time } : {}
  };
}

// src/main/cda/entries/templates.ts
var TEMPLATES = {
  problemConcern: "1.3.6.1.4.1.19376.1.5.3.1.4.5.2",
  problem: "1.3.6.1.4.1.19376.1.5.3.1.4.5",
  allergyConcern: "1.3.6.1.4.1.19376.1.5.3.1.4.5.3",
  allergy: "1.3.6.1.4.1.19376.1.5.3.1.4.6",
  medication: "1.3.6.1.4.1.19376.1.5.3.1.4.7",
  immunization: "1.3.6.1.4.1.19376.1.5.3.1.4.12",
  advanceDirective: "1.3.6.1.4.1.19376.1.5.3.1.4.13.7",
  procedure: "1.3.6.1.4.1.19376.1.5.3.1.4.19",
  encounter: "1.3.6.1.4.1.19376.1.5.3.1.4.14",
  /** FR-Dispositif-medical (CI-SIS). */
  medicalDevice: "1.2.250.1.213.1.1.3.20",
  /** Laboratory Observation (IHE PaLM), CI-SIS lab results. */
  labObservation: "1.3.6.1.4.1.19376.1.3.1.6",
  /** Social history observation (IHE PCC): tobacco, alcohol, exposures. */
  socialHistory: "1.3.6.1.4.1.19376.1.5.3.1.4.13.4",
  /** Severity (IHE PCC) inside an allergy or a problem. */
  severity: "1.3.6.1.4.1.19376.1.5.3.1.4.1",
  /** Problem/allergy clinical status observation (IHE PCC). */
  clinicalStatus: "1.3.6.1.4.1.19376.1.5.3.1.4.1.1"
};
var REIMBURSEMENT_DOCUMENT_TEMPLATE = "1.2.250.1.213.1.1.1.36";
var REIMBURSEMENT_DOCUMENT_CODE = "REMB";
var CNAM_MEDICINE_SYSTEMS = [
  "1.2.250.1.215.200.1.1.1",
  "1.2.250.1.215.200.1.1.2"
];

// src/main/cda/entries/labels.ts
var STATUS_LABELS = {
  active: "Actif",
  inactive: "Inactif",
  resolved: "R\xE9solu",
  remission: "En r\xE9mission",
  recurrence: "R\xE9cidive",
  relapse: "Rechute",
  completed: "Termin\xE9",
  aborted: "Interrompu",
  suspended: "Suspendu",
  cancelled: "Annul\xE9",
  held: "En attente",
  new: "Nouveau",
  nullified: "Annul\xE9",
  normal: "Normal",
  "not-done": "Non administr\xE9",
  "G-A397": "Intermittent",
  "G-A230": "Actif",
  "G-A270": "Chronique",
  "G-A384": "R\xE9solu",
  "G-A385": "Inactif",
  "G-A386": "R\xE9cidivant",
  "G-A231": "Inactif",
  "G-A389": "En r\xE9mission",
  "55561003": "Actif",
  "73425007": "Inactif",
  "413322009": "R\xE9solu",
  "255227004": "R\xE9current",
  "277022003": "En r\xE9mission"
};
function statusLabel(code, display) {
  if (display && display.trim() !== "" && display !== code) return capitalize(display.trim());
  if (!code) return void 0;
  return STATUS_LABELS[code] ?? STATUS_LABELS[code.toLowerCase()];
}
function concernStatusLabel(code, ended = true) {
  if (code === "completed") return ended ? "R\xE9solu" : void 0;
  if (code === "aborted") return "Abandonn\xE9";
  return statusLabel(code);
}
var CERTAINTY = {
  unconfirmed: { label: "Non confirm\xE9" },
  provisional: { label: "Provisoire" },
  differential: { label: "Diagnostic diff\xE9rentiel" },
  refuted: { label: "R\xE9fut\xE9", absent: true },
  "entered-in-error": { label: "Saisi par erreur", absent: true }
};
function certaintyOf(code, display) {
  const known = code ? CERTAINTY[code] : void 0;
  if (!known) return void 0;
  const label = display && display.trim() !== "" && display !== code ? capitalize(display.trim()) : known.label;
  return { label, absent: known.absent === true };
}
var SEVERITY_LABELS = {
  L: "L\xE9g\xE8re",
  M: "Mod\xE9r\xE9e",
  H: "S\xE9v\xE8re",
  "255604002": "L\xE9g\xE8re",
  "6736007": "Mod\xE9r\xE9e",
  "24484000": "S\xE9v\xE8re",
  "442452003": "Mettant en jeu le pronostic vital",
  "371923003": "L\xE9g\xE8re \xE0 mod\xE9r\xE9e",
  "371924009": "Mod\xE9r\xE9e \xE0 s\xE9v\xE8re"
};
function severityLabel(code, display) {
  if (code && SEVERITY_LABELS[code]) return SEVERITY_LABELS[code];
  if (display && display.trim() !== "" && display !== code) return capitalize(display.trim());
  return void 0;
}
var UNIT_LABELS = {
  "{tablet}": "comprim\xE9(s)",
  "{tbl}": "comprim\xE9(s)",
  "{capsule}": "g\xE9lule(s)",
  "{puff}": "bouff\xE9e(s)",
  "{drop}": "goutte(s)",
  "{sachet}": "sachet(s)",
  "{dose}": "dose(s)",
  "{application}": "application(s)",
  "{count}": "unit\xE9(s)",
  "{score}": "",
  "{ratio}": "",
  "{pack}/a": "paquets-ann\xE9es",
  "{drink}/d": "verre(s) par jour",
  "[diop]": "dioptrie(s)",
  "mm[Hg]": "mmHg",
  Cel: "\xB0C",
  deg: "\xB0",
  d: "jour(s)",
  wk: "semaine(s)",
  mo: "mois",
  a: "an(s)",
  h: "heure(s)",
  min: "minute(s)",
  "10*9/L": "G/L",
  "10*12/L": "T/L",
  ug: "\xB5g",
  uL: "\xB5L"
};
function unitLabel(unit) {
  if (!unit || unit === "1") return void 0;
  const known = UNIT_LABELS[unit];
  if (known !== void 0) return known === "" ? void 0 : known;
  const french = unit.replace(/\[IU\]/g, "UI").replace(/\[iU\]/g, "UI").replace(/\bu(g|L|mol)\b/g, "\xB5$1").replace(/\{([^}]*)\}/g, "$1").replace(/\[([^\]]*)\]/g, "$1");
  return french === "" ? void 0 : french;
}
function quantityLabel(value, unit) {
  const number2 = /^-?\d+(\.\d+)?$/.test(value) ? value.replace(".", ",") : value;
  const u = unitLabel(unit);
  return u ? `${number2} ${u}` : number2;
}
var INTERPRETATIONS = {
  N: { flag: "normal", label: "Normal" },
  L: { flag: "low", label: "Bas" },
  H: { flag: "high", label: "\xC9lev\xE9" },
  LL: { flag: "critical-low", label: "Tr\xE8s bas" },
  HH: { flag: "critical-high", label: "Tr\xE8s \xE9lev\xE9" },
  LU: { flag: "critical-low", label: "Tr\xE8s bas" },
  HU: { flag: "critical-high", label: "Tr\xE8s \xE9lev\xE9" },
  "<": { flag: "low", label: "Inf\xE9rieur au seuil" },
  ">": { flag: "high", label: "Sup\xE9rieur au seuil" },
  A: { flag: "abnormal", label: "Anormal" },
  AA: { flag: "abnormal", label: "Tr\xE8s anormal" },
  POS: { flag: "abnormal", label: "Positif" },
  NEG: { flag: "normal", label: "N\xE9gatif" },
  IND: { flag: "abnormal", label: "Ind\xE9termin\xE9" },
  DET: { flag: "abnormal", label: "D\xE9tect\xE9" },
  ND: { flag: "normal", label: "Non d\xE9tect\xE9" }
};
function interpretationOf(code) {
  return code ? INTERPRETATIONS[code] : void 0;
}
var ATC_GROUPS = {
  A: "Voies digestives et m\xE9tabolisme",
  B: "Sang et organes h\xE9matopo\xEF\xE9tiques",
  C: "Syst\xE8me cardiovasculaire",
  D: "Dermatologie",
  G: "Syst\xE8me g\xE9nito-urinaire et hormones sexuelles",
  H: "Hormones syst\xE9miques",
  J: "Anti-infectieux g\xE9n\xE9raux",
  L: "Antin\xE9oplasiques et immunomodulateurs",
  M: "Muscle et squelette",
  N: "Syst\xE8me nerveux",
  P: "Antiparasitaires",
  R: "Syst\xE8me respiratoire",
  S: "Organes sensoriels",
  V: "Divers"
};
function atcGroupLabel(atc) {
  return atc ? ATC_GROUPS[atc.charAt(0).toUpperCase()] : void 0;
}
function capitalize(value) {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

// src/main/cda/entries/common.ts
function authorName(act) {
  const author = readAuthor(child(act, "author"));
  return author?.name ?? author?.organization;
}
function related(act, typeCode) {
  return children(act, "entryRelationship").filter((r) => typeCode === void 0 || attr(r, "typeCode") === typeCode).flatMap(
    (r) => r.children.filter(
      (c) => c.local !== "templateId" && c.local !== "sequenceNumber" && c.local !== "seperatableInd"
    )
  );
}
function hasTemplate(el, templateId) {
  return templateIdsOf(el).includes(templateId);
}
function effectiveTimes(act) {
  return children(act, "effectiveTime");
}
function periodOf(act) {
  for (const et of effectiveTimes(act)) {
    const type = attr(et, "xsi:type");
    if (type !== void 0 && !type.endsWith("IVL_TS") && !type.endsWith(":TS") && type !== "TS") continue;
    const { start, end } = timeOf(et);
    if (start || end) return { ...start ? { startDate: start } : {}, ...end ? { endDate: end } : {} };
  }
  return {};
}
function statusOf(act) {
  return attr(child(act, "statusCode"), "code");
}
function quantityText(pq) {
  const value = attr(pq, "value");
  if (!value) return void 0;
  return quantityLabel(value, attr(pq, "unit"));
}
function routeText(act, ctx) {
  const route = child(act, "routeCode");
  const label = codedOf(route)?.display ?? originalTextOf(route, ctx);
  return label ? label : void 0;
}
function productOf(act, ctx) {
  const material = child(child(child(act, "consumable"), "manufacturedProduct"), "manufacturedMaterial");
  const codeEl = child(material, "code");
  const narrative = originalTextOf(codeEl, ctx);
  const name = text(child(material, "name")) || codedOf(codeEl)?.display || (narrative && !isYesNo(narrative) ? narrative : void 0);
  const lot = text(child(material, "lotNumberText")) || void 0;
  return { ...name ? { name } : {}, ...codeEl ? { codeEl } : {}, ...lot ? { lot } : {} };
}
function joinDetail(parts) {
  const kept = parts.filter((p) => p !== void 0 && p !== "");
  return kept.length > 0 ? kept.join(" ; ") : void 0;
}
function clinicalStatusOf(obs) {
  const status = related(obs, "REFR").find((r) => hasTemplate(r, TEMPLATES.clinicalStatus));
  const value = child(status, "value");
  return statusLabel(attr(value, "code"), attr(value, "displayName"));
}
var CERTAINTY_CODE = "66455-7";
function certaintyOfEntry(obs) {
  const certainty = related(obs, "SUBJ").find((r) => attr(child(r, "code"), "code") === CERTAINTY_CODE);
  const value = child(certainty, "value");
  return certaintyOf(attr(value, "code"), attr(value, "displayName"));
}
function severityOf(obs) {
  const severity = related(obs, "SUBJ").find((r) => hasTemplate(r, TEMPLATES.severity));
  const value = child(severity, "value");
  return severityLabel(attr(value, "code"), attr(value, "displayName"));
}
function anchorOf(act) {
  const value = attr(child(child(act, "text"), "reference"), "value");
  return value?.startsWith("#") && value.length > 1 ? value.slice(1) : void 0;
}
function isNegated(act) {
  return attr(act, "negationInd") === "true";
}
function factsOf(pairs) {
  const facts = pairs.filter((p) => p[1] !== void 0 && p[1] !== "").map(([label, value]) => ({ label, value }));
  return facts.length > 0 ? facts : void 0;
}
function detailOf(facts) {
  return facts && facts.length > 0 ? facts.map((f) => `${f.label} : ${f.value}`).join(" ; ") : void 0;
}

// src/main/cda/entries/advance-directives.ts
function readAdvanceDirective(obs, ctx) {
  const value = child(obs, "value");
  const answer = attr(value, "value");
  const attachment = attachedMediaType(obs);
  const detail = answer === "true" ? "oui" : answer === "false" ? "non" : attachment ? `document joint (${attachment})` : labelOfCoded(value, ctx) ?? (isEncapsulated(value) ? void 0 : text(value) || void 0) ?? entryNarrative(obs, ctx);
  const { startDate, endDate } = periodOf(obs);
  return {
    kind: "advanceDirective",
    label: labelOfCoded(child(obs, "code"), ctx) ?? entryNarrative(obs, ctx) ?? "Directive anticip\xE9e",
    ...optional("code", codedOf(child(obs, "code"))),
    ...optional("detail", detail),
    ...optional("startDate", startDate),
    ...optional("endDate", endDate),
    // `completed` is the statusCode the template fixes: shown, it read « Terminé » beside a directive in force.
    ...optional("status", statusOf(obs) === "completed" ? void 0 : statusOf(obs)),
    ...optional("author", authorName(obs)),
    ...optional("sectionCode", ctx.sectionCode),
    templateIds: templateIdsOf(obs)
  };
}
function attachedMediaType(obs) {
  const media = related(obs, "COMP").find((r) => r.local === "observationMedia");
  if (!media) return void 0;
  return attr(child(media, "value"), "mediaType") ?? "fichier";
}
function isEncapsulated(value) {
  return attr(value, "representation") === "B64";
}

// src/main/cda/entries/narrative-check.ts
var DATE_HEADER = /^date\b/i;
var PLANNED_DATE_HEADER = /envisag|prévision|souhait/i;
var END_HEADER = /\bfin\b/i;
var STATUS_HEADER = /^statut(?: du problème)?$/i;
var POSOLOGY_HEADER = /posologie|dose|fréquence|rythme|périodicité/i;
var FR_DATE = /\b(\d{2})\/(\d{2})\/(\d{4})\b/g;
var DISCORDANCE_LABEL = "\xC0 v\xE9rifier";
function narrativeRowOf(act, ctx) {
  const rows = ctx.rows?.();
  if (!rows) return void 0;
  for (const id of [anchorOf(act), ...ownReferences(act)]) {
    const row = id !== void 0 ? rows.get(id) : void 0;
    if (row) return row;
  }
  return void 0;
}
function ownReferences(act) {
  const found = [];
  const stack = [...act.children].reverse();
  while (stack.length > 0) {
    const el = stack.pop();
    if (el.local === "entryRelationship") continue;
    if (el.local === "reference") {
      const value = attr(el, "value");
      if (value?.startsWith("#") && value.length > 1) found.push(value.slice(1));
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return found;
}
function cellsUnder(row, header) {
  return row.cells.filter((c) => c.header !== void 0 && header.test(c.header));
}
function doseWordsDisagreeing(act, ctx, row) {
  const found = [];
  for (const dose of findDescendants(act, (e) => e.local === "doseQuantity")) {
    for (const quantity of [dose, child(dose, "low"), child(dose, "high")]) {
      const value = attr(quantity, "value");
      const reference = path(quantity, "translation", "originalText", "reference");
      const target = ctx.rows?.().get(attr(reference, "value")?.slice(1) ?? "");
      if (row && target && target !== row) continue;
      const words = resolveReference(reference, ctx);
      if (value === void 0 || words === void 0 || numbersOf(words).size === 0) continue;
      if (!numbersOf(words).has(Number(value))) found.push(words);
    }
  }
  return [...new Set(found)];
}
function byColumn(cells) {
  const out = [];
  for (const cell of cells) {
    const last = out[out.length - 1];
    if (last && last.header === cell.header) last.parts.push(cell.text);
    else out.push({ ...cell.header ? { header: cell.header } : {}, parts: [cell.text] });
  }
  return out.map((c) => c.parts.filter((p) => p !== "").join(" "));
}
function said(value) {
  return !/^[\s\-–—]*$/.test(value);
}
function frDate(iso) {
  const [y, m, d] = iso.slice(0, 10).split("-");
  return d && m ? `${d}/${m}/${y}` : m ? `${m}/${y}` : y ?? iso;
}
function narrativePeriod(row) {
  let start;
  let end;
  const words = [];
  for (const cell of cellsUnder(row, DATE_HEADER)) {
    if (PLANNED_DATE_HEADER.test(cell.header ?? "")) continue;
    const dates = [...cell.text.matchAll(FR_DATE)].map((m) => `${m[3]}-${m[2]}-${m[1]}`);
    if (dates.length === 0) continue;
    words.push(cell.text);
    if (END_HEADER.test(cell.header ?? "")) end ??= dates[0];
    else {
      start ??= dates[0];
      if (dates.length > 1) end ??= dates[1];
    }
  }
  if (start === void 0 && end === void 0) return void 0;
  return { ...start ? { start } : {}, ...end ? { end } : {}, words: words.join(", ") };
}
function sameDate(a, b) {
  const x = a.slice(0, 10);
  const y = b.slice(0, 10);
  return x.startsWith(y) || y.startsWith(x);
}
function numbersOf(value) {
  return new Set([...value.matchAll(/\d+(?:[.,]\d+)?/g)].map((m) => Number(m[0].replace(",", "."))));
}
function capitalize2(value) {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
function normalised(value) {
  return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toLowerCase();
}
function reconcileWithNarrative(entry, act, ctx) {
  const row = narrativeRowOf(act, ctx);
  let result = entry;
  let facts = [...entry.facts ?? []];
  const discordances = [];
  const period = row ? narrativePeriod(row) : void 0;
  const start = entry.startDate;
  if (period?.start !== void 0 && start !== void 0 && !sameDate(period.start, start)) {
    const coded = entry.endDate ? `${frDate(start)} au ${frDate(entry.endDate)}` : frDate(start);
    const end = period.end ?? (entry.endDate !== void 0 && entry.endDate >= period.start ? entry.endDate : void 0);
    result = { ...result, startDate: period.start };
    if (end === void 0) delete result.endDate;
    else result.endDate = end;
    discordances.push(`le texte du document date ceci du ${period.words}, ses donn\xE9es cod\xE9es du ${coded}`);
  }
  if (row && (entry.kind === "problem" || entry.kind === "allergy")) {
    const status = cellsUnder(row, STATUS_HEADER).map((c) => c.text).find(said);
    if (status !== void 0 && entry.status !== void 0 && normalised(status) !== normalised(entry.status)) {
      result = { ...result, status: capitalize2(status) };
      discordances.push(
        `statut \xAB ${capitalize2(status)} \xBB dans le texte du document, \xAB ${entry.status} \xBB dans ses donn\xE9es cod\xE9es`
      );
    }
  }
  if (entry.kind === "medication") {
    const written = row ? byColumn(cellsUnder(row, POSOLOGY_HEADER)).filter(said) : [];
    const coded = facts.find((f) => f.label === "Posologie")?.value;
    if (coded !== void 0) {
      const words = written.length > 0 ? [...new Set(written)].join(" ; ") : void 0;
      const shown = words !== void 0 ? numbersOf(words) : void 0;
      const rowDisagrees = shown !== void 0 && [...numbersOf(coded)].some((n) => !shown.has(n));
      const doses = doseWordsDisagreeing(act, ctx, row);
      if (rowDisagrees || doses.length > 0) {
        const value = words ?? doses.join(", ");
        facts = facts.map((f) => f.label === "Posologie" ? { label: "Posologie", value } : f);
        discordances.push(
          `posologie \xAB ${value} \xBB dans le texte du document, \xAB ${coded} \xBB dans ses donn\xE9es cod\xE9es`
        );
      }
    }
  }
  if (discordances.length === 0) return result;
  facts.push({ label: DISCORDANCE_LABEL, value: `${capitalize2(discordances.join(" ; "))}.` });
  return { ...result, facts, ...optional("detail", detailOf(facts)) };
}
var PRINTED_RANGE = /\(\s*((?:[<>≤≥]\s*)?\d+(?:[.,]\d+)?(?:\s*[-–à]\s*\d+(?:[.,]\d+)?)?)\s*\)/g;
function reconcileLabRange(reading, obs, ctx) {
  const row = narrativeRowOf(obs, ctx);
  if (!row || reading.referenceRange === void 0) return { reading };
  const rowText = row.cells.map((c) => c.text).join(" | ");
  if (reading.numeric === void 0 || !numbersOf(rowText).has(reading.numeric)) return { reading };
  const printed = [...rowText.matchAll(PRINTED_RANGE)].map((m) => m[1]);
  if (printed.length !== 1) return { reading };
  const words = printed[0];
  const coded = reading.referenceRange;
  const same = (a, b) => a.size === b.size && [...a].every((n) => b.has(n));
  if (same(numbersOf(words), numbersOf(coded))) return { reading };
  return {
    reading: { ...reading, referenceRange: words },
    discordance: `Valeurs de r\xE9f\xE9rence \xAB ${words} \xBB dans le texte du document, \xAB ${coded} \xBB dans ses donn\xE9es cod\xE9es.`
  };
}
function polarity(value) {
  if (value === void 0) return void 0;
  const v = normalised(value);
  if (/\b(negati|non detecte|absence|absent)/.test(v)) return "negative";
  if (/\b(positi|detecte|presence|present)/.test(v)) return "positive";
  return void 0;
}
function reconcileQualitativeResult(reading, obs, ctx) {
  const value = child(obs, "value");
  const written = originalTextOf(value, ctx);
  const coded = reading.value;
  const w = polarity(written);
  const c = polarity(coded);
  if (written === void 0 || w === void 0 || c === void 0 || w === c) return { reading };
  return {
    reading: { ...reading, value: written },
    discordance: `R\xE9sultat \xAB ${written} \xBB dans le texte du document, \xAB ${coded} \xBB dans ses donn\xE9es cod\xE9es.`
  };
}
function reconcileFlag(reading, obs) {
  if (reading.flag === void 0 || reading.numeric === void 0) return { reading };
  const range = findDescendants(obs, (e) => e.local === "observationRange")[0];
  const low = Number(attr(path(range, "value", "low"), "value") ?? Number.NaN);
  const high = Number(attr(path(range, "value", "high"), "value") ?? Number.NaN);
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) return { reading };
  const value = reading.numeric;
  const within = value >= low && value <= high;
  const contradicted = within && reading.flag !== "normal" && reading.flag !== "abnormal" || !within && reading.flag === "normal" || value < low && (reading.flag === "high" || reading.flag === "critical-high") || value > high && (reading.flag === "low" || reading.flag === "critical-low");
  if (!contradicted) return { reading };
  const { flag: _flag, flagLabel, ...rest } = reading;
  return {
    reading: rest,
    discordance: `Interpr\xE9tation \xAB ${flagLabel ?? reading.flag} \xBB dans les donn\xE9es cod\xE9es du document, que sa valeur ${reading.value} et ses valeurs de r\xE9f\xE9rence (${reading.referenceRange ?? `${low} \u2013 ${high}`}) contredisent.`
  };
}

// src/main/cda/entries/allergies.ts
function readAllergyConcern(concern, ctx) {
  const concernEnded = periodOf(concern).endDate !== void 0;
  return related(concern, "SUBJ").filter((obs) => hasTemplate(obs, TEMPLATES.allergy)).map(
    (obs) => readAllergy(
      obs,
      ctx,
      concernStatusLabel(statusOf(concern), concernEnded || periodOf(obs).endDate !== void 0),
      authorName(concern)
    )
  );
}
function readAllergy(obs, ctx, concernStatus, concernAuthor) {
  const allergenCode = path(obs, "participant", "participantRole", "playingEntity", "code");
  const allergenName = text(path(obs, "participant", "participantRole", "playingEntity", "name")) || void 0;
  const allergen = codedOf(allergenCode);
  const value = child(obs, "value");
  const valueLabel = labelOfCoded(value, ctx);
  const agent = allergen?.display ?? allergenName ?? originalTextOf(allergenCode, ctx);
  const type = codedOf(child(obs, "code"))?.display;
  const answer = originalTextOf(value, ctx) ?? resolveReference(child(child(obs, "text"), "reference"), ctx);
  const answeredNo = agent === void 0 && answer !== void 0 && /^non$/i.test(answer.trim());
  const label = agent ?? valueLabel ?? type ?? entryNarrative(obs, ctx) ?? "Allergie sans libell\xE9";
  const valueReaction = agent !== void 0 && valueLabel !== void 0 && valueLabel !== type ? valueLabel : void 0;
  const reactions = related(obs, "MFST").map((r) => {
    const what = labelOfCoded(child(r, "value"), ctx) ?? entryNarrative(r, ctx);
    return what && isNegated(r) ? `absence de ${what}` : what;
  });
  const allReactions = [
    ...new Set([valueReaction, ...reactions].filter((r) => r !== void 0 && r !== ""))
  ];
  const severity = severityOf(obs);
  const certainty = certaintyOfEntry(obs);
  const facts = factsOf([
    ["Type", type],
    ["R\xE9action", allReactions.length > 0 ? allReactions.join(", ") : void 0],
    ["S\xE9v\xE9rit\xE9", severity],
    ["Certitude", certainty?.label]
  ]);
  const { startDate, endDate } = periodOf(obs);
  return reconcileWithNarrative(
    {
      kind: "allergy",
      label,
      ...optional("code", allergen ?? codedOf(value)),
      ...optional("facts", facts),
      ...optional("detail", detailOf(facts)),
      ...optional("severity", severity),
      ...optional("startDate", startDate),
      ...optional("endDate", endDate),
      ...optional("status", clinicalStatusOf(obs) ?? concernStatus),
      ...isNegated(obs) || answeredNo || certainty?.absent ? { negated: true } : {},
      ...optional("anchor", anchorOf(obs)),
      ...optional("author", authorName(obs) ?? concernAuthor),
      ...optional("sectionCode", ctx.sectionCode),
      templateIds: templateIdsOf(obs)
    },
    obs,
    ctx
  );
}

// src/main/cda/entries/devices-procedures.ts
function commentOf(act, ctx) {
  const comments = related(act, "SUBJ").filter((r) => r.local === "act" && attr(child(r, "code"), "code") === "48767-8").map((r) => entryNarrative(r, ctx)).filter((c) => c !== void 0 && c !== "" && c !== "(texte libre)");
  return comments.length > 0 ? comments.join(" ; ") : void 0;
}
function readDevice(supply, ctx) {
  const device = path(supply, "participant", "participantRole", "playingDevice");
  const codeEl = child(device, "code");
  const coded = codedOf(codeEl);
  const name = text(child(device, "manufacturerModelName")) || void 0;
  const { startDate, endDate } = periodOf(supply);
  const facts = factsOf([
    ["Mod\xE8le", name],
    ["Commentaire", commentOf(supply, ctx)]
  ]);
  return {
    kind: "device",
    label: coded?.display ?? originalTextOf(codeEl, ctx) ?? name ?? entryNarrative(supply, ctx) ?? "Dispositif m\xE9dical",
    ...optional("code", coded),
    ...optional("facts", facts),
    ...optional("detail", detailOf(facts)),
    ...optional("startDate", startDate),
    ...optional("endDate", endDate),
    ...isNegated(supply) ? { negated: true } : {},
    ...optional("anchor", anchorOf(supply)),
    ...optional("author", authorName(supply)),
    ...optional("sectionCode", ctx.sectionCode),
    templateIds: templateIdsOf(supply)
  };
}
function readProcedure(procedure, ctx) {
  const mood = attr(procedure, "moodCode") ?? "EVN";
  if (mood !== "EVN") return void 0;
  const codeEl = child(procedure, "code");
  const { startDate, endDate } = periodOf(procedure);
  const named = codedOf(codeEl) ?? originalTextOf(codeEl, ctx) ?? entryNarrative(procedure, ctx);
  if (named === void 0 && startDate === void 0 && endDate === void 0) return void 0;
  const performer = readAssigned(path(procedure, "performer", "assignedEntity"));
  const site = labelOfCoded(child(procedure, "targetSiteCode"), ctx);
  const facts = factsOf([
    ["Site", site],
    ["R\xE9alis\xE9 par", performer?.name ?? performer?.organization],
    ["Commentaire", commentOf(procedure, ctx)]
  ]);
  return reconcileWithNarrative(
    {
      kind: "procedure",
      // The narrative names the act before a bare code does: OBP-SAP codes its appendicectomy « SURG » only.
      label: codedOf(codeEl)?.display ?? originalTextOf(codeEl, ctx) ?? entryNarrative(procedure, ctx) ?? codedOf(codeEl)?.code ?? "Acte",
      ...optional("code", codedOf(codeEl)),
      ...optional("facts", facts),
      ...optional("detail", detailOf(facts)),
      ...optional("startDate", startDate),
      ...optional("endDate", endDate),
      ...isNegated(procedure) ? { negated: true } : {},
      ...optional("anchor", anchorOf(procedure)),
      ...optional("author", authorName(procedure)),
      ...optional("sectionCode", ctx.sectionCode),
      templateIds: templateIdsOf(procedure)
    },
    procedure,
    ctx
  );
}
function readRiskFactor(obs, ctx) {
  const what = labelOfCoded(child(obs, "code"), ctx) ?? entryNarrative(obs, ctx) ?? "Facteur de risque";
  const value = child(obs, "value");
  const valueText = valueTextOf(value, ctx);
  const negated = isNegated(obs);
  const { startDate, endDate } = periodOf(obs);
  const facts = factsOf([["Valeur", valueText]]);
  return {
    kind: "riskFactor",
    label: negated ? absenceOf(valueText ?? what) : what,
    ...optional("code", codedOf(child(obs, "code"))),
    ...optional("facts", negated ? void 0 : facts),
    ...optional("detail", negated ? void 0 : detailOf(facts)),
    ...optional("startDate", startDate),
    ...optional("endDate", endDate),
    ...negated ? { negated: true } : {},
    ...optional("anchor", anchorOf(obs)),
    ...optional("author", authorName(obs)),
    ...optional("sectionCode", ctx.sectionCode),
    templateIds: templateIdsOf(obs)
  };
}
function absenceOf(what) {
  const lower = what.charAt(0).toLowerCase() + what.slice(1);
  return /^[aeiouyéèêàâîôûh]/i.test(lower) ? `Absence d\u2019${lower}` : `Absence de ${lower}`;
}
function valueTextOf(value, ctx) {
  if (!value) return void 0;
  const type = attr(value, "xsi:type") ?? "";
  if (type.endsWith("BL"))
    return attr(value, "value") === "true" ? "oui" : attr(value, "value") === "false" ? "non" : void 0;
  if (type.endsWith("PQ") || type.endsWith("INT") || type.endsWith("REAL")) {
    const v = attr(value, "value");
    return v ? quantityLabel(v, attr(value, "unit")) : void 0;
  }
  return labelOfCoded(value, ctx) ?? (text(value) || void 0);
}

// src/main/cda/entries/immunizations.ts
var DOSE_RANK_CODE = "30973-2";
function readImmunization(act, ctx) {
  const product = productOf(act, ctx);
  const route = routeText(act, ctx);
  const { startDate } = periodOf(act);
  const notGiven = isNegated(act);
  const rank = related(act, "SUBJ").filter((r) => attr(child(r, "code"), "code") === DOSE_RANK_CODE).map((r) => attr(child(r, "value"), "value")).find((v) => v !== void 0);
  const reactions = related(act, "CAUS").map((r) => labelOfCoded(child(r, "value"), ctx) ?? entryNarrative(r, ctx)).filter((r) => r !== void 0 && r !== "");
  const site = codedOf(child(act, "approachSiteCode"))?.display ?? originalTextOf(child(act, "approachSiteCode"), ctx);
  const facts = factsOf([
    ["Rang", rank ? rank === "1" ? "1re dose" : `${rank}e dose` : void 0],
    ["Lot", product.lot],
    ["Voie", route ? route.replace(/^voie\s+/i, "") : void 0],
    ["Site", site],
    ["R\xE9action", reactions.length > 0 ? reactions.join(", ") : void 0]
  ]);
  return reconcileWithNarrative(
    {
      kind: "immunization",
      label: product.name ?? entryNarrative(act, ctx) ?? "Vaccin sans libell\xE9",
      ...optional("code", codedOf(product.codeEl)),
      ...optional("facts", facts),
      ...optional("detail", detailOf(facts)),
      ...optional("startDate", startDate),
      ...notGiven ? { status: "Non administr\xE9", negated: true } : {},
      ...optional("anchor", anchorOf(act)),
      ...optional("author", authorName(act)),
      ...optional("sectionCode", ctx.sectionCode),
      templateIds: templateIdsOf(act)
    },
    act,
    ctx
  );
}

// src/main/cda/entries/lab-results.ts
function readLabResults(statement, ctx) {
  const seen = /* @__PURE__ */ new Set();
  const found = [];
  const candidates = [
    statement,
    ...findDescendants(statement, (e) => e.local === "observation" || e.local === "organizer")
  ];
  for (const el of candidates) {
    if (el.local === "observation" && hasTemplate(el, TEMPLATES.labObservation) && !seen.has(el)) {
      seen.add(el);
      found.push(el);
    }
    if (el.local === "organizer" && templateIdsOf(el).some((t) => LAB_ORGANIZERS.includes(t))) {
      for (const obs of children(el, "component").map((c) => child(c, "observation"))) {
        if (obs && !seen.has(obs) && child(obs, "value")) {
          seen.add(obs);
          found.push(obs);
        }
      }
    }
  }
  const fallbackDate = timeOf(child(statement, "effectiveTime")).start;
  return found.flatMap((obs) => {
    const entry = readLabObservation(obs, ctx, fallbackDate);
    return entry ? [entry] : [];
  });
}
var LAB_ORGANIZERS = ["1.3.6.1.4.1.19376.1.3.1.4", "1.3.6.1.4.1.19376.1.3.1.5"];
function readLabObservation(obs, ctx, fallbackDate) {
  const read = readingOf(obs, ctx);
  if (!read) return void 0;
  const qualitative = reconcileQualitativeResult(read, obs, ctx);
  const ranged = reconcileLabRange(qualitative.reading, obs, ctx);
  const flagged = ranged.discordance ? { reading: ranged.reading } : reconcileFlag(ranged.reading, obs);
  const reading = flagged.reading;
  const discordances = [qualitative.discordance, ranged.discordance, flagged.discordance].filter(
    (d) => d !== void 0
  );
  const discordance = discordances.length > 0 ? discordances.join(" ") : void 0;
  const codeEl = child(obs, "code");
  const analyte = codedOf(codeEl)?.display ?? originalTextOf(codeEl, ctx) ?? entryNarrative(obs, ctx) ?? codedOf(codeEl)?.code ?? "Analyse";
  const date = timeOf(child(obs, "effectiveTime")).start ?? fallbackDate;
  const facts = factsOf([
    ["R\xE9sultat", reading.value],
    ["Valeurs de r\xE9f\xE9rence", reading.referenceRange],
    ["Interpr\xE9tation", reading.flagLabel],
    [DISCORDANCE_LABEL, discordance]
  ]);
  return {
    kind: "labResult",
    label: analyte,
    ...optional("code", codedOf(codeEl)),
    ...optional("facts", facts),
    ...optional("detail", detailOf(facts)),
    ...optional("startDate", date),
    lab: reading,
    ...optional("anchor", anchorOf(obs)),
    ...optional("author", authorName(obs)),
    ...optional("sectionCode", ctx.sectionCode),
    templateIds: templateIdsOf(obs)
  };
}
function readingOf(obs, ctx) {
  const value = child(obs, "value");
  if (!value || attr(value, "nullFlavor")) return void 0;
  const type = attr(value, "xsi:type") ?? "";
  let shown;
  let unit;
  let numeric;
  if (type.endsWith("PQ") && !type.endsWith("IVL_PQ")) {
    const v = attr(value, "value");
    if (!v) return void 0;
    shown = quantityLabel(v, void 0);
    unit = unitLabel(attr(value, "unit"));
    numeric = Number(v);
  } else if (type.endsWith("INT") || type.endsWith("REAL")) {
    const v = attr(value, "value");
    if (!v) return void 0;
    shown = quantityLabel(v, void 0);
    numeric = Number(v);
  } else if (type.endsWith("IVL_PQ")) {
    shown = rangeText(value);
  } else if (type.endsWith("RTO") || type.endsWith("RTO_PQ_PQ")) {
    const n = attr(child(value, "numerator"), "value");
    const d = attr(child(value, "denominator"), "value");
    shown = n && d ? `${n}/${d}` : void 0;
  } else if (type.endsWith("CD") || type.endsWith("CE") || type.endsWith("CV")) {
    shown = labelOfCoded(value, ctx);
  } else if (type.endsWith("BL")) {
    shown = attr(value, "value") === "true" ? "positif" : attr(value, "value") === "false" ? "n\xE9gatif" : void 0;
  } else if (type.endsWith("TS")) {
    shown = hl7TimeToIso(attr(value, "value"));
  } else {
    shown = text(value) || void 0;
  }
  if (!shown) return void 0;
  const interpretation = interpretationOf(attr(child(obs, "interpretationCode"), "code"));
  const range = referenceRangeOf(obs, ctx);
  return {
    value: shown,
    ...optional("unit", unit),
    ...numeric !== void 0 && Number.isFinite(numeric) ? { numeric } : {},
    ...optional("referenceRange", range),
    ...interpretation ? { flag: interpretation.flag, flagLabel: interpretation.label } : {}
  };
}
function rangeText(value) {
  const low = child(value, "low");
  const high = child(value, "high");
  const lv = attr(low, "value");
  const hv = attr(high, "value");
  const unit = attr(high, "unit") ?? attr(low, "unit");
  const u = unitLabel(unit);
  if (lv && hv) return `${quantityLabel(lv, void 0)} \u2013 ${quantityLabel(hv, void 0)}${u ? ` ${u}` : ""}`;
  if (hv) return `< ${quantityLabel(hv, unit)}`;
  if (lv) return `> ${quantityLabel(lv, unit)}`;
  return void 0;
}
function referenceRangeOf(obs, ctx) {
  for (const rr of children(obs, "referenceRange")) {
    const range = child(rr, "observationRange");
    const fromValue = rangeText(child(range, "value"));
    if (fromValue) return fromValue;
    const fromText = entryNarrative(range, ctx);
    if (fromText) return fromText;
  }
  return void 0;
}

// src/main/cda/entries/posology.ts
function posologyText(act) {
  const steps = related(act, "COMP").filter((c) => c.local === "substanceAdministration").map(stepText).filter((s) => s !== void 0);
  const own = stepText(act);
  const parts = [];
  if (steps.length > 0) {
    let lastDose;
    const phrased = steps.map((step) => {
      const dose = step.dose === lastDose ? void 0 : step.dose;
      lastDose = step.dose;
      return [dose, step.frequency, step.duration].filter(Boolean).join(" ");
    });
    parts.push(phrased.filter((p) => p !== "").join(", puis "));
  } else if (own) parts.push([own.dose, own.frequency].filter(Boolean).join(" "));
  const max = maxDoseText(act);
  if (max) parts.push(max);
  const text2 = parts.filter((p) => p !== "").join(" ; ");
  return text2 === "" ? void 0 : text2;
}
function stepText(act) {
  const dose = doseText(child(act, "doseQuantity"));
  let frequency;
  let duration;
  for (const et of children(act, "effectiveTime")) {
    const parts = (attr(et, "xsi:type") ?? "").endsWith("SXPR_TS") ? children(et, "comp") : [et];
    for (const part of parts) {
      const type = attr(part, "xsi:type") ?? "";
      if (type.endsWith("PIVL_TS")) frequency ??= periodText(child(part, "period"));
      if (type.endsWith("IVL_TS") && !type.endsWith("PIVL_TS")) duration ??= widthText(child(part, "width"));
      if (type.endsWith("EIVL_TS")) frequency ??= eventText(attr(child(part, "event"), "code"));
    }
  }
  if (!dose && !frequency && !duration) return void 0;
  return {
    ...dose ? { dose } : {},
    ...frequency ? { frequency } : {},
    ...duration ? { duration } : {}
  };
}
function doseText(dose) {
  if (!dose) return void 0;
  const value = attr(dose, "value");
  if (value) return withUnit(value, attr(dose, "unit"));
  const low = child(dose, "low");
  const high = child(dose, "high");
  const lv = attr(low, "value");
  const hv = attr(high, "value");
  if (lv && hv)
    return lv === hv ? withUnit(lv, attr(low, "unit")) : `${number(lv)} \xE0 ${withUnit(hv, attr(high, "unit"))}`;
  if (lv) return `au moins ${withUnit(lv, attr(low, "unit"))}`;
  if (hv) return `jusqu\u2019\xE0 ${withUnit(hv, attr(high, "unit"))}`;
  return void 0;
}
function number(value) {
  return value.replace(".", ",");
}
function withUnit(value, unit) {
  const u = unitLabel(unit);
  return u ? `${number(value)} ${u}` : number(value);
}
var PER = {
  d: "jour",
  j: "jour",
  wk: "semaine",
  mo: "mois",
  a: "an",
  h: "heure",
  min: "minute"
};
var EVERY = {
  d: ["jour", "jours"],
  wk: ["semaine", "semaines"],
  mo: ["mois", "mois"],
  a: ["an", "ans"],
  h: ["heure", "heures"],
  min: ["minute", "minutes"]
};
function periodText(period) {
  const value = attr(period, "value");
  const rawUnit = attr(period, "unit");
  if (!value || !rawUnit) return void 0;
  const unit = rawUnit === "J" || rawUnit === "j" ? "d" : rawUnit;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return void 0;
  if (unit === "h" && Number.isInteger(24 / n) && n <= 24) return `${24 / n} fois par jour`;
  if (unit === "min" && Number.isInteger(1440 / n)) return `toutes les ${n} minutes`;
  if (n === 1 && PER[unit]) return `1 fois par ${PER[unit]}`;
  if (n < 1 && PER[unit] && Number.isInteger(1 / n)) return `${1 / n} fois par ${PER[unit]}`;
  const names = EVERY[unit];
  if (!names) return void 0;
  const feminine = unit === "h" || unit === "min" || unit === "wk";
  return `${feminine ? "toutes les" : "tous les"} ${number(value)} ${names[1]}`;
}
function widthText(width) {
  const value = attr(width, "value");
  const unit = attr(width, "unit");
  if (!value || !unit) return void 0;
  const names = EVERY[unit === "J" ? "d" : unit];
  if (!names) return void 0;
  return `pendant ${number(value)} ${value === "1" ? names[0] : names[1]}`;
}
var EVENTS = {
  AC: "avant les repas",
  ACM: "avant le petit-d\xE9jeuner",
  ACD: "avant le d\xE9jeuner",
  ACV: "avant le d\xEEner",
  PC: "apr\xE8s les repas",
  PCM: "apr\xE8s le petit-d\xE9jeuner",
  PCD: "apr\xE8s le d\xE9jeuner",
  PCV: "apr\xE8s le d\xEEner",
  HS: "au coucher",
  WAKE: "au r\xE9veil",
  C: "pendant les repas",
  CM: "au petit-d\xE9jeuner",
  CD: "au d\xE9jeuner",
  CV: "au d\xEEner"
};
function eventText(code) {
  return code ? EVENTS[code] : void 0;
}
function maxDoseText(act) {
  const max = child(act, "maxDoseQuantity");
  const num = child(max, "numerator");
  const den = child(max, "denominator");
  const value = attr(num, "value");
  if (!value) return void 0;
  const denValue = attr(den, "value") ?? "1";
  const denUnit = attr(den, "unit");
  const per = denUnit ? PER[denUnit] : void 0;
  const quantity = withUnit(value, attr(num, "unit"));
  if (!per) return `maximum ${quantity}`;
  return denValue === "1" ? `maximum ${quantity} par ${per}` : `maximum ${quantity} par ${number(denValue)} ${EVERY[denUnit ?? ""]?.[1] ?? per}`;
}
function renewalsText(act) {
  const value = attr(child(act, "repeatNumber"), "value");
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n <= 0) return void 0;
  return n === 1 ? "renouvelable 1 fois" : `renouvelable ${n} fois`;
}

// src/main/cda/entries/medications.ts
function readMedication(act, ctx) {
  const product = productOf(act, ctx);
  const route = routeText(act, ctx);
  const { startDate, endDate } = periodOf(act);
  const prescriber = related(act, "REFR").map((supply) => authorName(supply)).find((n) => n !== void 0);
  const mood = attr(act, "moodCode");
  const facts = factsOf([
    ["Posologie", posologyText(act)],
    ["Voie", route ? route.replace(/^voie\s+/i, "") : void 0],
    ["Motif", reasonOf(act, ctx)],
    ["Renouvellement", renewalsText(act)],
    ["Statut", mood === "INT" ? "Traitement pr\xE9vu" : void 0]
  ]);
  return reconcileWithNarrative(
    {
      kind: "medication",
      label: product.name ?? entryNarrative(act, ctx) ?? "M\xE9dicament sans libell\xE9",
      ...optional("code", codedOf(product.codeEl)),
      ...optional("facts", facts),
      ...optional("detail", detailOf(facts)),
      ...optional("startDate", startDate),
      ...optional("endDate", endDate),
      ...optional("moodCode", mood),
      ...optional("anchor", anchorOf(act)),
      ...optional("author", authorName(act) ?? prescriber),
      ...optional("sectionCode", ctx.sectionCode),
      templateIds: templateIdsOf(act)
    },
    act,
    ctx
  );
}
function reasonOf(act, ctx) {
  const reasons = related(act, "RSON").map(
    (r) => labelOfCoded(child(r, "value"), ctx) ?? labelOfCoded(child(r, "code"), ctx) ?? entryNarrative(r, ctx)
  ).filter((r) => r !== void 0 && r !== "");
  return reasons.length > 0 ? [...new Set(reasons)].join(", ") : void 0;
}

// src/main/cda/entries/none-known.ts
var ABSENT_OR_UNKNOWN = "2.16.840.1.113883.5.1150.1";
var NONE_KNOWN_SNOMED = [
  "716186003",
  "409137002",
  "428197003",
  "716220001",
  "787481004",
  "182849000",
  "160245001"
];
var DEFAULT_TEXT = {
  allergies: "Aucune allergie connue",
  medications: "Aucun traitement connu",
  problems: "Aucun probl\xE8me connu",
  immunizations: "Aucune vaccination connue",
  devices: "Aucun dispositif m\xE9dical connu",
  procedures: "Aucun acte connu",
  riskFactors: "Aucun facteur de risque connu",
  labResults: "Aucun r\xE9sultat connu",
  reimbursements: "Aucun remboursement connu"
};
function isNoneWord(value) {
  if (!value) return false;
  return /^\s*(aucun(e|s)?|n[ée]ant|rien|none|pas d[e’']|absence d[e’'])\b/i.test(value) && value.trim().length < 80;
}
function namingCodes(act) {
  return [
    child(act, "code"),
    child(act, "value"),
    path(act, "consumable", "manufacturedProduct", "manufacturedMaterial", "code"),
    path(act, "participant", "participantRole", "playingEntity", "code"),
    path(act, "participant", "participantRole", "playingDevice", "code")
  ];
}
function noneKnownStatement(act) {
  for (const el of namingCodes(act)) {
    const coded = codedOf(el);
    if (!coded) continue;
    if (coded.system === ABSENT_OR_UNKNOWN || coded.code.startsWith("no-known") || coded.code.startsWith("no-"))
      return coded.display ?? "";
    if (NONE_KNOWN_SNOMED.includes(coded.code)) return coded.display ?? "";
    if (isNoneWord(coded.display)) return coded.display ?? "";
  }
  return void 0;
}
function isNamelessPlaceholder(act, ctx) {
  const material = path(act, "consumable", "manufacturedProduct", "manufacturedMaterial");
  if (!material) return false;
  const code = child(material, "code");
  const name = child(material, "name");
  const nameless = (!code || attr(code, "nullFlavor") !== void 0) && (!name || attr(name, "nullFlavor") !== void 0);
  if (!nameless || child(code, "originalText") || child(code, "translation")) return false;
  const narrative = entryNarrative(act, ctx);
  return narrative === void 0 || isNoneWord(narrative);
}
function sectionOfKind(kind, reimbursementKind) {
  if (reimbursementKind !== void 0) return "reimbursements";
  switch (kind) {
    case "allergy":
      return "allergies";
    case "medication":
      return "medications";
    case "immunization":
      return "immunizations";
    case "device":
      return "devices";
    case "procedure":
      return "procedures";
    case "riskFactor":
      return "riskFactors";
    case "labResult":
      return "labResults";
    default:
      return "problems";
  }
}
function noneKnownEntry(act, ctx, section, words) {
  const narrative = entryNarrative(act, ctx);
  const sentence = [words, narrative].find(
    (w) => w !== void 0 && w.trim().length > 8 && !/^aucun(e)?$/i.test(w.trim())
  );
  return {
    kind: "noneKnown",
    label: sentence ?? DEFAULT_TEXT[section],
    noneKnownSection: section,
    ...optional("anchor", anchorOf(act)),
    ...optional("sectionCode", ctx.sectionCode),
    templateIds: templateIdsOf(act)
  };
}

// src/main/cda/entries/problems.ts
function readProblemConcern(concern, ctx) {
  const concernEnded = periodOf(concern).endDate !== void 0;
  return related(concern, "SUBJ").filter((obs) => hasTemplate(obs, TEMPLATES.problem) && !hasTemplate(obs, TEMPLATES.allergy)).map(
    (obs) => readProblem(
      obs,
      ctx,
      concernStatusLabel(statusOf(concern), concernEnded || periodOf(obs).endDate !== void 0),
      authorName(concern)
    )
  );
}
function readProblem(obs, ctx, concernStatus, concernAuthor) {
  const value = child(obs, "value");
  const code = codedOf(value);
  const label = labelOfCoded(value, ctx) ?? entryNarrative(obs, ctx) ?? labelOfCoded(child(obs, "code"), ctx) ?? "Probl\xE8me sans libell\xE9";
  const { startDate, endDate } = periodOf(obs);
  const severity = severityOf(obs);
  const certainty = certaintyOfEntry(obs);
  const facts = factsOf([
    ["S\xE9v\xE9rit\xE9", severity],
    ["Certitude", certainty?.label]
  ]);
  return reconcileWithNarrative(
    {
      kind: "problem",
      label,
      ...optional("code", code),
      ...optional("facts", facts),
      ...optional("detail", detailOf(facts)),
      ...optional("severity", severity),
      ...optional("startDate", startDate),
      ...optional("endDate", endDate),
      ...optional("status", clinicalStatusOf(obs) ?? concernStatus),
      // A refuted diagnosis is stated absent, like negationInd.
      ...isNegated(obs) || certainty?.absent ? { negated: true } : {},
      ...optional("anchor", anchorOf(obs)),
      ...optional("author", authorName(obs) ?? concernAuthor),
      ...optional("sectionCode", ctx.sectionCode),
      templateIds: templateIdsOf(obs)
    },
    obs,
    ctx
  );
}

// src/main/cda/entries/reimbursements.ts
function classifyReimbursement(act) {
  if (hasTemplate(act, TEMPLATES.immunization)) return "vaccine";
  if (hasTemplate(act, TEMPLATES.medication)) return "medicine";
  if (hasTemplate(act, TEMPLATES.medicalDevice)) return "device";
  if (hasTemplate(act, TEMPLATES.encounter) || act.local === "encounter") return "stay";
  if (hasTemplate(act, TEMPLATES.procedure) || act.local === "procedure") return "act";
  return "other";
}
function readReimbursement(act, ctx) {
  const kind = classifyReimbursement(act);
  const base = kind === "medicine" || kind === "vaccine" ? readDispensed(act, ctx) : kind === "device" ? readDevice2(act, ctx) : kind === "stay" ? readStay(act, ctx) : readAct(act, ctx);
  return {
    kind: "reimbursement",
    reimbursementKind: kind,
    ...base,
    ...optional("sectionCode", ctx.sectionCode),
    templateIds: templateIdsOf(act)
  };
}
function readDispensed(act, ctx) {
  const product = productOf(act, ctx);
  const supply = related(act, "REFR").find((r) => r.local === "supply");
  const dispensedOn = hl7TimeToIso(attr(path(supply, "performer", "time"), "value"));
  const pharmacy = text(path(supply, "performer", "assignedEntity", "representedOrganization", "name")) || void 0;
  const quantity = quantityText(child(supply, "quantity"));
  const prescriber = supply ? readAuthor(child(supply, "author"))?.name : void 0;
  const { startDate } = periodOf(act);
  return {
    label: product.name ?? entryNarrative(act, ctx) ?? "Produit sans libell\xE9",
    ...optional("code", cnamMedicineCode(product.codeEl) ?? codedOf(product.codeEl)),
    ...optional(
      "detail",
      joinDetail([
        quantity ? `quantit\xE9 d\xE9livr\xE9e : ${quantity}` : void 0,
        pharmacy ? `d\xE9livr\xE9 par ${pharmacy}` : void 0
      ])
    ),
    ...optional("startDate", dispensedOn ?? startDate),
    ...optional("author", prescriber ?? authorName(act)),
    reimbursement: {
      ...optional("quantity", quantity),
      ...optional("prescriber", prescriber ?? authorName(act)),
      ...optional("pharmacy", pharmacy),
      ...optional("therapeuticClass", therapeuticClassOf(product.codeEl))
    }
  };
}
var CNAM_ATC_SYSTEM = "1.2.250.1.215.200.1.2.1";
function therapeuticClassOf(codeEl) {
  const atc = codedOf(
    children(codeEl, "translation").find(
      (t) => attr(t, "codeSystem") === CNAM_ATC_SYSTEM || attr(t, "codeSystem") === "2.16.840.1.113883.6.73"
    )
  );
  if (!atc) return void 0;
  const label = atc.display ?? atcGroupLabel(atc.code);
  return label ? label.charAt(0).toUpperCase() + label.slice(1).toLowerCase() : void 0;
}
function cnamMedicineCode(codeEl) {
  const translation = children(codeEl, "translation").find(
    (t) => CNAM_MEDICINE_SYSTEMS.includes(attr(t, "codeSystem") ?? "")
  );
  return codedOf(translation);
}
function readDevice2(act, ctx) {
  const deviceCode = path(act, "participant", "participantRole", "playingDevice", "code");
  const supplier = text(path(act, "performer", "assignedEntity", "representedOrganization", "name")) || void 0;
  const deliveredOn = hl7TimeToIso(attr(path(act, "performer", "time"), "value"));
  const quantity = quantityText(child(act, "quantity"));
  const { startDate, endDate } = periodOf(act);
  return {
    label: codedOf(deviceCode)?.display ?? originalTextOf(deviceCode, ctx) ?? entryNarrative(act, ctx) ?? "Dispositif sans libell\xE9",
    ...optional("code", codedOf(deviceCode)),
    ...optional(
      "detail",
      joinDetail([
        quantity ? `quantit\xE9 d\xE9livr\xE9e : ${quantity}` : void 0,
        supplier ? `d\xE9livr\xE9 par ${supplier}` : void 0
      ])
    ),
    ...optional("startDate", deliveredOn ?? startDate),
    ...optional("endDate", endDate),
    ...optional("author", authorName(act)),
    reimbursement: {
      ...optional("quantity", quantity),
      ...optional("pharmacy", supplier),
      ...optional("prescriber", authorName(act))
    }
  };
}
function readStay(act, ctx) {
  const codeEl = child(act, "code");
  const stayCode = codedOf(path(codeEl, "qualifier", "value"));
  const place = text(path(act, "performer", "assignedEntity", "representedOrganization", "name")) || void 0;
  const { startDate, endDate } = periodOf(act);
  return {
    label: stayCode?.display ?? labelOfCoded(codeEl, ctx) ?? entryNarrative(act, ctx) ?? "S\xE9jour",
    ...optional("code", stayCode ?? codedOf(codeEl)),
    ...optional("detail", joinDetail([codedOf(codeEl)?.display, place ? `lieu : ${place}` : void 0])),
    ...optional("startDate", startDate),
    ...optional("endDate", endDate),
    reimbursement: { ...optional("pharmacy", place) }
  };
}
function readAct(act, ctx) {
  const codeEl = child(act, "code");
  const performer = readAssigned(path(act, "performer", "assignedEntity"));
  const { startDate, endDate } = periodOf(act);
  return {
    label: labelOfCoded(codeEl, ctx) ?? entryNarrative(act, ctx) ?? "Acte",
    ...optional("code", codedOf(codeEl)),
    ...optional("detail", joinDetail([performer?.profession?.display, performer?.organization])),
    ...optional("startDate", startDate),
    ...optional("endDate", endDate),
    ...optional("author", performer?.name ?? authorName(act)),
    reimbursement: {
      ...optional("performer", performer?.name ?? performer?.organization),
      ...optional("prescriber", authorName(act))
    }
  };
}

// src/main/cda/entries/extract.ts
function statementOf(entry) {
  return entry.children.find((c) => c.local !== "templateId");
}
function extractEntry(entry, ctx, reimbursementDocument) {
  const act = statementOf(entry);
  if (!act) return [];
  const items = readItems(act, ctx, reimbursementDocument);
  const labs = reimbursementDocument ? [] : readLabResults(act, ctx);
  if (items === void 0) return labs.length > 0 ? labs : void 0;
  return [...items, ...labs];
}
function readItems(act, ctx, reimbursementDocument) {
  if (reimbursementDocument) {
    const none = noneKnownOf(act, ctx, "reimbursements");
    return [none ?? readReimbursement(act, ctx)];
  }
  const templates = templateIdsOf(act);
  if (templates.includes(TEMPLATES.problemConcern))
    return nonEmpty(readProblemConcern(act, ctx).map((e) => asNoneKnownIfSo(e, act, ctx)));
  if (templates.includes(TEMPLATES.allergyConcern))
    return nonEmpty(readAllergyConcern(act, ctx).map((e) => asNoneKnownIfSo(e, act, ctx)));
  if (templates.includes(TEMPLATES.allergy))
    return [noneKnownOf(act, ctx, "allergies") ?? readAllergy(act, ctx)];
  if (templates.includes(TEMPLATES.immunization))
    return [noneKnownOf(act, ctx, "immunizations") ?? readImmunization(act, ctx)];
  if (templates.includes(TEMPLATES.medication))
    return [noneKnownOf(act, ctx, "medications") ?? readMedication(act, ctx)];
  if (templates.includes(TEMPLATES.advanceDirective)) return [readAdvanceDirective(act, ctx)];
  if (templates.includes(TEMPLATES.medicalDevice) && act.local === "supply")
    return [noneKnownOf(act, ctx, "devices") ?? readDevice(act, ctx)];
  if (templates.includes(TEMPLATES.procedure)) {
    const none = noneKnownOf(act, ctx, "procedures");
    if (none) return [none];
    const procedure = readProcedure(act, ctx);
    return procedure ? [procedure] : [];
  }
  if (templates.includes(TEMPLATES.socialHistory)) return [readRiskFactor(act, ctx)];
  return void 0;
}
function noneKnownOf(act, ctx, section) {
  const words = noneKnownStatement(act);
  if (words !== void 0 || isNamelessPlaceholder(act, ctx)) {
    const kind = section === "reimbursements" ? classifyReimbursement(act) : void 0;
    return noneKnownEntry(act, ctx, kind ? "reimbursements" : section, words);
  }
  return void 0;
}
function asNoneKnownIfSo(entry, concern, ctx) {
  if (entry.code && (entry.code.system === "2.16.840.1.113883.5.1150.1" || entry.code.code.startsWith("no-known"))) {
    return noneKnownEntry(concern, ctx, sectionOfKind(entry.kind), entry.code.display ?? entry.label);
  }
  if (/^\s*(aucun(e)?|n[ée]ant)\s*\.?\s*$/i.test(entry.label) || /^(aucune?|pas d)/i.test(entry.label)) {
    return noneKnownEntry(concern, ctx, sectionOfKind(entry.kind), entry.label);
  }
  return entry;
}
function nonEmpty(entries) {
  return entries.length > 0 ? entries : void 0;
}
function extractSectionEntries(entries, ctx, reimbursementDocument) {
  const out = [];
  const unknownTemplates = [];
  for (const entry of entries) {
    const extracted = extractEntry(entry, ctx, reimbursementDocument);
    if (extracted === void 0) {
      const ids = templateIdsOf(statementOf(entry));
      unknownTemplates.push(ids[ids.length - 1] ?? `(${statementOf(entry)?.local ?? "vide"})`);
    } else out.push(...extracted);
  }
  return { entries: out, unknownTemplates };
}

// src/main/cda/body.ts
function readBody(doc, reimbursementDocument) {
  const component = child(doc, "component");
  const structured = child(component, "structuredBody");
  if (structured) return readStructured(structured, reimbursementDocument);
  const nonXml = child(component, "nonXMLBody");
  if (nonXml) return { body: readNonXmlBody(nonXml), entries: [], warnings: [] };
  throw new CdaError(
    "not-cda",
    "corps du document absent.",
    "ClinicalDocument/component has neither structuredBody nor nonXMLBody"
  );
}
function readStructured(structured, reimbursementDocument) {
  const sectionElements = findDescendants(structured, (e) => e.local === "section");
  const idIndex = narrativeIdIndex(sectionElements);
  const sections = [];
  const entries = [];
  const warnings = [];
  const stack = children(structured, "component").map((c) => child(c, "section")).filter((s) => s !== void 0).map((section) => ({ section, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { section, depth } = stack.pop();
    const code = codedOf(child(section, "code"));
    const title = text(child(section, "title")) || void 0;
    const sectionEntries = children(section, "entry");
    sections.push({
      ...code ? { code } : {},
      ...title ? { title } : {},
      templateIds: templateIdsOf(section),
      narrativeHtml: narrativeToHtml(child(section, "text")),
      entryCount: sectionEntries.length,
      depth
    });
    const extraction = extractSectionEntries(
      sectionEntries,
      { idIndex, rows: lazyRows(child(section, "text")), ...code ? { sectionCode: code.code } : {} },
      reimbursementDocument
    );
    entries.push(...extraction.entries);
    if (extraction.unknownTemplates.length > 0) {
      const ids = [...new Set(extraction.unknownTemplates)].join(", ");
      warnings.push(
        `Section \xAB ${title ?? code?.code ?? "sans titre"} \xBB : ${extraction.unknownTemplates.length} entr\xE9e(s) non reconnue(s) (mod\xE8le ${ids}), conserv\xE9e(s) sous forme narrative.`
      );
    }
    const subsections = children(section, "component").map((c) => child(c, "section")).filter((s) => s !== void 0);
    for (let i = subsections.length - 1; i >= 0; i--)
      stack.push({ section: subsections[i], depth: depth + 1 });
  }
  return { body: { kind: "structured", sections }, entries, warnings };
}
function lazyRows(textBlock) {
  let rows;
  return () => rows ??= narrativeRows(textBlock);
}
var BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function readNonXmlBody(nonXml) {
  const textEl = child(nonXml, "text");
  if (!textEl)
    throw new CdaError("bad-body", "contenu du document non structur\xE9 absent.", "nonXMLBody/text missing");
  if (child(textEl, "reference")) {
    throw new CdaError(
      "bad-body",
      "le contenu r\xE9f\xE9rence un fichier externe, non pris en charge.",
      "nonXMLBody/text/reference is not supported"
    );
  }
  const mediaType = (attr(textEl, "mediaType") ?? "text/plain").toLowerCase();
  const representation = attr(textEl, "representation") ?? "TXT";
  const raw = textEl.nodes.filter((n) => typeof n === "string").join("");
  let content;
  if (representation === "B64") {
    const compact = raw.replace(/\s+/g, "");
    if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw new CdaError(
        "bad-body",
        "le contenu encod\xE9 en base64 est invalide.",
        `invalid base64 payload of ${compact.length} chars`
      );
    }
    content = new Uint8Array(Buffer.from(compact, "base64"));
  } else if (representation === "TXT") {
    content = new TextEncoder().encode(raw);
  } else {
    throw new CdaError(
      "bad-body",
      `repr\xE9sentation \xAB ${representation.slice(0, 10)} \xBB non prise en charge.`,
      "unsupported nonXMLBody representation"
    );
  }
  if (mediaType === "application/pdf" && !looksLikePdf(content)) {
    throw new CdaError(
      "bad-body",
      "le contenu annonc\xE9 comme PDF n'en est pas un.",
      "application/pdf payload without %PDF signature"
    );
  }
  if (mediaType === "application/pdf" && !looksLikeCompletePdf(content)) {
    throw new CdaError(
      "bad-body",
      "le PDF joint est incomplet (fichier tronqu\xE9) : il ne pourrait pas \xEAtre ouvert.",
      "application/pdf payload without %%EOF trailer"
    );
  }
  return { kind: "unstructured", mediaType, content };
}

// src/main/cda/entries/contacts.ts
var RELATED_ROLES = {
  ECON: ["Personne \xE0 pr\xE9venir", "notify"],
  NOK: ["Personne de confiance", "trusted"],
  GUARD: ["Tuteur", "legal"],
  CAREGIVER: ["Aidant", "notify"],
  PRS: ["Proche", "notify"],
  AGNT: ["Repr\xE9sentant", "legal"]
};
var RELATIONSHIPS = {
  SIS: "S\u0153ur",
  BRO: "Fr\xE8re",
  MTH: "M\xE8re",
  FTH: "P\xE8re",
  SPS: "Conjoint(e)",
  HUSB: "\xC9poux",
  WIFE: "\xC9pouse",
  DAU: "Fille",
  SON: "Fils",
  CHILD: "Enfant",
  PRN: "Parent",
  FRND: "Ami(e)",
  NBOR: "Voisin(e)",
  GRMTH: "Grand-m\xE8re",
  GRFTH: "Grand-p\xE8re",
  DOMPART: "Partenaire",
  ONESELF: "Le patient lui-m\xEAme"
};
var PARTICIPATION_LABELS = {
  INF: "Informateur",
  REF: "Prescripteur",
  PRF: "Ex\xE9cutant",
  IND: "Personne impliqu\xE9e",
  CALLBCK: "Contact pour rappel"
};
function readHeaderContacts(doc) {
  const contacts = [];
  const guardian = path(doc, "recordTarget", "patientRole", "patient", "guardian");
  if (guardian) {
    const name = formatName(path(guardian, "guardianPerson", "name")) ?? (text(path(guardian, "guardianOrganization", "name")) || void 0);
    contacts.push(
      contact("Repr\xE9sentant l\xE9gal", "legal", name, codedOf(child(guardian, "code")), telecomOf(guardian))
    );
  }
  for (const informant of children(doc, "informant")) {
    const related2 = child(informant, "relatedEntity");
    const assigned = child(informant, "assignedEntity");
    if (related2) {
      const code = codedOf(child(related2, "code"));
      const [role, kind] = RELATED_ROLES[attr(related2, "classCode") ?? ""] ?? ["Proche", "notify"];
      const relationship = (code ? RELATIONSHIPS[code.code] : void 0) ?? code?.display;
      contacts.push(
        contact(
          relationship ? `${role} (${relationship})` : role,
          kind,
          formatName(path(related2, "relatedPerson", "name")),
          code,
          telecomOf(related2)
        )
      );
    } else if (assigned) {
      contacts.push(
        contact(
          "Informateur",
          "other",
          formatName(path(assigned, "assignedPerson", "name")) ?? (text(path(assigned, "representedOrganization", "name")) || void 0),
          codedOf(child(assigned, "code")),
          telecomOf(assigned)
        )
      );
    }
  }
  for (const participant of children(doc, "participant")) {
    const entity = child(participant, "associatedEntity");
    if (!entity) continue;
    const fn = codedOf(child(participant, "functionCode"));
    const treating = fn?.code === "PCP";
    const role = treating ? "M\xE9decin traitant" : fn?.display ?? PARTICIPATION_LABELS[attr(participant, "typeCode") ?? ""] ?? "Participant";
    const name = formatName(path(entity, "associatedPerson", "name")) ?? (text(path(entity, "scopingOrganization", "name")) || void 0);
    const kind = treating ? "treating" : attr(entity, "classCode") === "ECON" ? "notify" : "other";
    contacts.push(contact(role, kind, name, fn ?? codedOf(child(entity, "code")), telecomOf(entity)));
  }
  return contacts;
}
function telecomOf(el) {
  const values = children(el, "telecom").map((t) => attr(t, "value")).filter((v) => v !== void 0).map((v) => v.replace(/^(tel|mailto|fax):/, ""));
  return values.length > 0 ? values.join(", ") : void 0;
}
function contact(role, kind, name, code, telecom) {
  return {
    kind: "contact",
    label: name ? `${role} : ${name}` : role,
    contactRole: kind,
    ...optional("code", code),
    ...optional("detail", telecom),
    ...optional(
      "facts",
      factsOf([
        ["R\xF4le", role],
        ["Nom", name],
        ["T\xE9l\xE9phone", telecom]
      ])
    ),
    templateIds: []
  };
}

// src/main/cda/xml/parse.ts
var import_saxes = __toESM(require_saxes(), 1);

// src/main/cda/xml/decode.ts
function decodeXmlBytes(bytes) {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 239 && bytes[1] === 187 && bytes[2] === 191) start = 3;
  else if (bytes.length >= 2 && (bytes[0] === 255 && bytes[1] === 254 || bytes[0] === 254 && bytes[1] === 255)) {
    throw new CdaError("encoding", "encodage UTF-16 non pris en charge.", "UTF-16 byte order mark");
  }
  const body = bytes.subarray(start);
  const encoding = declaredEncoding(body);
  const label = encoding === void 0 || encoding === "utf-8" || encoding === "utf8" ? "utf-8" : latinLabel(encoding);
  const notes = [];
  let text2;
  if (label !== "utf-8" && hasMultiByteUtf8(body)) {
    text2 = new TextDecoder("utf-8").decode(body);
    notes.push(
      `L\u2019encodage d\xE9clar\xE9 (${(encoding ?? "").toUpperCase()}) ne correspond pas au contenu, qui est en UTF-8 : le texte a \xE9t\xE9 lu en UTF-8.`
    );
  } else {
    try {
      text2 = new TextDecoder(label, { fatal: true }).decode(body);
    } catch {
      throw new CdaError(
        "encoding",
        `le contenu n'est pas un texte ${label.toUpperCase()} valide.`,
        `invalid byte sequence for ${label}`
      );
    }
  }
  if (DOUBLE_ENCODED.test(text2)) {
    throw new CdaError(
      "encoding",
      "les caract\xE8res accentu\xE9s du document sont alt\xE9r\xE9s (texte encod\xE9 deux fois) : demandez \xE0 l\u2019\xE9metteur un document correctement encod\xE9 en UTF-8.",
      "double-encoded UTF-8 sequences (U+00C3/U+00C2 followed by a continuation character)"
    );
  }
  return { text: text2, notes };
}
var DOUBLE_ENCODED = /[ÃÂ][\u0080-\u00BF]|â€[™œ\u009d“”˜]/;
function hasMultiByteUtf8(bytes) {
  let multi = false;
  for (const b of bytes) {
    if (b >= 128) {
      multi = true;
      break;
    }
  }
  if (!multi) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
function latinLabel(encoding) {
  if (["iso-8859-1", "latin1", "iso_8859-1", "windows-1252", "cp1252", "iso-8859-15"].includes(encoding))
    return encoding === "iso-8859-15" ? "iso-8859-15" : "windows-1252";
  throw new CdaError(
    "encoding",
    `encodage \xAB ${encoding.slice(0, 20)} \xBB non pris en charge.`,
    `unsupported declared encoding`
  );
}
function declaredEncoding(body) {
  const head = String.fromCharCode(...body.subarray(0, 200));
  if (!head.startsWith("<?xml")) return void 0;
  const end = head.indexOf("?>");
  const decl = end === -1 ? head : head.slice(0, end);
  const match = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(decl);
  return match?.[1]?.toLowerCase();
}

// src/main/cda/xml/limits.ts
var defaultXmlLimits = Object.freeze({
  // The DMP caps documents at 20 MB of payload; base64 of a scanned PDF fits under 30 MB.
  maxBytes: 30 * 1024 * 1024,
  maxDepth: 200,
  maxAttributes: 64,
  maxAttributeLength: 64 * 1024,
  // A nonXMLBody carries the whole base64 payload as one text node.
  maxTextLength: 30 * 1024 * 1024,
  // The largest CI-SIS example (IPS-FR, 1.5 MB) has a few tens of thousands; this bounds memory on a 30 MB flood of tiny elements.
  maxElements: 5e5
});

// src/main/cda/xml/parse.ts
function parseXml(input, limits = defaultXmlLimits) {
  const size = typeof input === "string" ? input.length : input.byteLength;
  if (size > limits.maxBytes) {
    throw new CdaError(
      "too-large",
      `le fichier d\xE9passe la taille maximale de ${Math.round(limits.maxBytes / 1024 / 1024)} Mo.`,
      `input of ${size} bytes exceeds ${limits.maxBytes}`
    );
  }
  const decoded = typeof input === "string" ? { text: input.replace(/^\uFEFF/, ""), notes: [] } : decodeXmlBytes(input);
  const source = decoded.text;
  if (!source.trimStart().startsWith("<")) {
    throw new CdaError(
      "malformed",
      "le fichier n'est pas un document XML.",
      "input does not start with markup"
    );
  }
  const parser = new import_saxes.SaxesParser({ xmlns: true, position: true });
  const stack = [];
  let root;
  let elementCount = 0;
  const where = () => `line ${parser.line}, column ${parser.column}`;
  const limitHit = (what, detail) => {
    throw new CdaError("limit", `structure hors limites (${what}).`, `${detail} at ${where()}`);
  };
  parser.on("doctype", () => {
    throw new CdaError(
      "doctype",
      "les d\xE9clarations DOCTYPE sont interdites.",
      `DOCTYPE declaration at ${where()}`
    );
  });
  parser.on("error", (err) => {
    throw new CdaError(
      "malformed",
      `XML mal form\xE9 (ligne ${parser.line}).`,
      `saxes error at ${where()}: ${describeSaxesError(err)}`
    );
  });
  parser.on("opentag", (tag) => {
    if (stack.length >= limits.maxDepth) limitHit("profondeur", `element depth above ${limits.maxDepth}`);
    if (++elementCount > limits.maxElements)
      limitHit("nombre d'\xE9l\xE9ments", `more than ${limits.maxElements} elements`);
    const attrs = /* @__PURE__ */ Object.create(null);
    let count = 0;
    for (const a of Object.values(tag.attributes)) {
      if (++count > limits.maxAttributes)
        limitHit("nombre d'attributs", `more than ${limits.maxAttributes} attributes`);
      if (a.value.length > limits.maxAttributeLength)
        limitHit(
          "taille d'attribut",
          `attribute value of ${a.value.length} chars exceeds ${limits.maxAttributeLength}`
        );
      if (a.prefix === "xmlns" || a.name === "xmlns") continue;
      const key = a.uri === "" ? a.local : a.uri === XSI_NS ? `xsi:${a.local}` : `{${a.uri}}${a.local}`;
      attrs[key] = a.value;
    }
    stack.push({
      name: tag.name,
      local: tag.local,
      ns: tag.uri,
      attrs,
      nodes: [],
      children: [],
      line: parser.line
    });
  });
  parser.on("text", (value) => appendText(value));
  parser.on("cdata", (value) => appendText(value));
  parser.on("closetag", () => {
    const open = stack.pop();
    if (!open) return;
    const el = Object.freeze({
      name: open.name,
      local: open.local,
      ns: open.ns,
      attrs: Object.freeze(open.attrs),
      nodes: Object.freeze(open.nodes),
      children: Object.freeze(open.children),
      line: open.line
    });
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.nodes.push(el);
      parent.children.push(el);
    } else root = el;
  });
  function appendText(value) {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    if (value.length > limits.maxTextLength)
      limitHit("taille de texte", `text node of ${value.length} chars exceeds ${limits.maxTextLength}`);
    const last = parent.nodes[parent.nodes.length - 1];
    if (typeof last === "string") parent.nodes[parent.nodes.length - 1] = last + value;
    else parent.nodes.push(value);
  }
  try {
    parser.write(source).close();
  } catch (err) {
    if (err instanceof CdaError) throw err;
    throw new CdaError(
      "malformed",
      "XML mal form\xE9.",
      `parser failure at ${where()}: ${err instanceof Error ? describeSaxesError(err) : "unknown"}`
    );
  }
  if (!root) throw new CdaError("malformed", "aucun \xE9l\xE9ment racine.", "no root element");
  return { root, notes: decoded.notes };
}
function describeSaxesError(err) {
  const reason = err.message.replace(/^[^:]*:\d+:\d+:\s*/, "");
  return reason.replace(/["'«][^"'»]*["'»]/g, '"\u2026"').replace(/\s+/g, " ").slice(0, 160);
}

// src/main/cda/import.ts
function parseCda(input, options = {}) {
  const { logger } = options;
  try {
    const doc = readDocument(input, options.limits, options.maxEntries ?? maxEntriesPerDocument);
    logger?.info("cda imported", {
      type: doc.header.type.code,
      body: doc.body.kind,
      sections: doc.body.kind === "structured" ? doc.body.sections.length : 0,
      entries: doc.entries.length,
      warnings: doc.warnings.length
    });
    return doc;
  } catch (err) {
    if (err instanceof CdaError) logger?.warn("cda refused", { code: err.code, detail: err.detail });
    else
      logger?.error("cda import failed unexpectedly", { error: err instanceof Error ? err.name : "unknown" });
    throw err;
  }
}
var maxEntriesPerDocument = 2e3;
var XSLT_NS = "http://www.w3.org/1999/XSL/Transform";
function readDocument(input, limits, maxEntries) {
  const { root: parsedRoot, notes } = parseXml(input, limits);
  const root = clinicalDocumentOf(parsedRoot);
  const header = readHeader(root);
  const reimbursementDocument = header.type.code === REIMBURSEMENT_DOCUMENT_CODE || header.templateIds.includes(REIMBURSEMENT_DOCUMENT_TEMPLATE);
  const { body, entries: bodyEntries, warnings } = readBody(root, reimbursementDocument);
  const all = [...readHeaderContacts(root), ...bodyEntries];
  const entries = all.length > maxEntries ? all.slice(0, maxEntries) : all;
  if (all.length > maxEntries) {
    warnings.push(
      `Le document contient ${all.length.toLocaleString("fr-FR")} entr\xE9es structur\xE9es : seules les ${maxEntries.toLocaleString("fr-FR")} premi\xE8res sont reprises dans la synth\xE8se ; le document complet reste consultable.`
    );
  }
  return { header, body, entries, warnings: [...notes, ...warnings] };
}
function clinicalDocumentOf(root) {
  if (root.local === "ClinicalDocument" && (root.ns === HL7_NS || root.ns === "")) return root;
  if (root.ns === XSLT_NS && (root.local === "stylesheet" || root.local === "transform")) {
    const wrapped = findDescendants(root, (e) => e.local === "ClinicalDocument" && e.ns === HL7_NS);
    if (wrapped.length === 1) return wrapped[0];
    throw new CdaError(
      "not-cda",
      wrapped.length === 0 ? "feuille de style sans document CDA." : "la feuille de style contient plusieurs documents CDA.",
      `xsl:stylesheet wrapping ${wrapped.length} hl7:ClinicalDocument elements`
    );
  }
  throw new CdaError(
    "not-cda",
    "ce n'est pas un document CDA (\xE9l\xE9ment racine inattendu).",
    `root element is not hl7:ClinicalDocument (namespace ${root.ns === HL7_NS ? "hl7" : "other"})`
  );
}

// src/main/dmp/parse-cda.ts
function parseCdaOrThrow(bytes) {
  try {
    return parseCda(bytes);
  } catch (err) {
    if (err instanceof CdaError)
      throw new ApiError("INVALID_INPUT", err.userMessage, `cda ${err.code}: ${err.detail}`);
    if (err instanceof ApiError) throw err;
    throw new ApiError(
      "INVALID_INPUT",
      "Document CDA illisible : le fichier n\u2019a pas pu \xEAtre analys\xE9.",
      err instanceof Error ? err.name : "unknown"
    );
  }
}

// src/main/dmp/cda-parser-worker.ts
var port = parentPort;
if (!port) throw new Error("cda-parser-worker must run in a worker thread");
function failure(err) {
  if (err instanceof ApiError)
    return { code: err.code, message: err.message, ...err.logDetail ? { logDetail: err.logDetail } : {} };
  return {
    code: "INVALID_INPUT",
    message: "Document CDA illisible : le fichier n\u2019a pas pu \xEAtre analys\xE9.",
    logDetail: err instanceof Error ? err.name : "unknown"
  };
}
port.on("message", (request) => {
  let message;
  let transfer;
  try {
    const document = parseCdaOrThrow(request.bytes);
    message = { kind: "parsed", id: request.id, document, bytes: request.bytes };
    transfer = transferableBuffers(
      request.bytes,
      document.body.kind === "unstructured" ? document.body.content : void 0
    );
  } catch (err) {
    message = { kind: "failed", id: request.id, error: failure(err) };
    transfer = [];
  }
  port.postMessage(message, transfer);
});
port.postMessage({ kind: "ready" });
/*! Bundled license information:

xmlchars/xml/1.0/ed5.js:
  (**
   * Character classes and associated utilities for the 5th edition of XML 1.0.
   *
   * @author Louis-Dominique Dubeau
   * @license MIT
   * @copyright Louis-Dominique Dubeau
   *)

xmlchars/xml/1.1/ed2.js:
  (**
   * Character classes and associated utilities for the 2nd edition of XML 1.1.
   *
   * @author Louis-Dominique Dubeau
   * @license MIT
   * @copyright Louis-Dominique Dubeau
   *)

xmlchars/xmlns/1.0/ed3.js:
  (**
   * Character class utilities for XML NS 1.0 edition 3.
   *
   * @author Louis-Dominique Dubeau
   * @license MIT
   * @copyright Louis-Dominique Dubeau
   *)
*/
//# sourceMappingURL=cda-parser-worker.js.map
