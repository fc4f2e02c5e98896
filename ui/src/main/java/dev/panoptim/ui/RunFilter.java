package dev.panoptim.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runs table's filter expressions (docs/UI.md): comparisons {@code COLUMN OP VALUE} joined by {@code and},
 * {@code or}, {@code not} and parentheses; OP is {@code = != < <= > >= ~} ({@code ~}: contains, ignoring case).
 * Numbers compare as numbers, anything else as text; a run without the column never matches (so
 * {@code config.lr > 0} keeps only runs that have an lr). {@code tag = x} matches a run with tag x.
 * A malformed expression is a 400 naming the position and what was expected.
 *
 * <pre>{@code RunFilter f = RunFilter.parse("state = running and config.lr >= 0.01"); boolean keep = f.test(row, columns);}</pre>
 */
abstract sealed class RunFilter {

    abstract boolean test(RunRow row, Columns columns);

    static RunFilter parse(String text) {
        Parser p = new Parser(text);
        RunFilter f = p.or();
        if (p.pos < p.tokens.size()) throw p.error("an operator 'and' or 'or'");
        return f;
    }

    static final class All extends RunFilter {
        @Override
        boolean test(RunRow row, Columns columns) {
            return true;
        }
    }

    private static final class And extends RunFilter {
        final RunFilter a, b;

        And(RunFilter a, RunFilter b) { this.a = a; this.b = b; }

        @Override
        boolean test(RunRow row, Columns columns) {
            return a.test(row, columns) && b.test(row, columns);
        }
    }

    private static final class Or extends RunFilter {
        final RunFilter a, b;

        Or(RunFilter a, RunFilter b) { this.a = a; this.b = b; }

        @Override
        boolean test(RunRow row, Columns columns) {
            return a.test(row, columns) || b.test(row, columns);
        }
    }

    private static final class Not extends RunFilter {
        final RunFilter a;

        Not(RunFilter a) { this.a = a; }

        @Override
        boolean test(RunRow row, Columns columns) {
            return !a.test(row, columns);
        }
    }

    private static final class Compare extends RunFilter {
        final String column, op;
        final String text;
        final Double number;

        Compare(String column, String op, String text) {
            this.column = column;
            this.op = op;
            this.text = text;
            this.number = parseNumber(text);
        }

        @Override
        boolean test(RunRow row, Columns columns) {
            if (column.equals("tag")) {
                boolean any = false;
                for (String t : row.tags()) any |= matches(t);
                return op.equals("!=") ? row.tags().stream().noneMatch(t -> t.equals(text)) : any;
            }
            Object v = columns.value(row, column);
            return v != null && matches(v);
        }

        private boolean matches(Object v) {
            if (op.equals("~")) return String.valueOf(v).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
            int c;
            if (v instanceof Number n && number != null) {
                c = Double.compare(n.doubleValue(), number);
            } else if (v instanceof Boolean b) {
                c = String.valueOf(b).compareTo(text.toLowerCase(Locale.ROOT));
            } else {
                c = String.valueOf(v).compareTo(text);
            }
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }

        private static Double parseNumber(String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** A token: its text, where it starts, and whether it was quoted (a quoted "and" is a value, not a keyword). */
    private record Token(String text, int at, boolean quoted) {}

    private static final class Parser {
        final String source;
        final List<Token> tokens = new ArrayList<>();
        int pos;

        Parser(String source) {
            this.source = source;
            int i = 0;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (Character.isWhitespace(c)) { i++; continue; }
                int start = i;
                if (c == '"' || c == '\'') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < source.length() && source.charAt(i) != c) {
                        if (source.charAt(i) == '\\' && i + 1 < source.length()) i++;
                        sb.append(source.charAt(i++));
                    }
                    if (i >= source.length()) throw ApiException.badRequest("filter: the quote opened at position " + (start + 1) + " is never closed");
                    i++;
                    tokens.add(new Token(sb.toString(), start, true));
                } else if (c == '(' || c == ')' || c == '~') {
                    tokens.add(new Token(String.valueOf(c), start, false));
                    i++;
                } else if (c == '<' || c == '>' || c == '!' || c == '=') {
                    i++;
                    if (i < source.length() && source.charAt(i) == '=') i++;
                    String op = source.substring(start, i);
                    if (op.equals("!") || op.equals("==")) op = op.equals("==") ? "=" : op;
                    if (op.equals("!")) throw ApiException.badRequest("filter: '!' at position " + (start + 1) + " must be '!='");
                    tokens.add(new Token(op, start, false));
                } else {
                    while (i < source.length() && !Character.isWhitespace(source.charAt(i)) && "()<>!=~\"'".indexOf(source.charAt(i)) < 0) i++;
                    tokens.add(new Token(source.substring(start, i), start, false));
                }
            }
        }

        RunFilter or() {
            RunFilter f = and();
            while (keyword("or")) f = new Or(f, and());
            return f;
        }

        RunFilter and() {
            RunFilter f = unary();
            while (keyword("and")) f = new And(f, unary());
            return f;
        }

        RunFilter unary() {
            if (keyword("not")) return new Not(unary());
            if (peekIs("(")) {
                pos++;
                RunFilter f = or();
                if (!peekIs(")")) throw error("')'");
                pos++;
                return f;
            }
            Token column = next("a column (name, state, config.KEY, summary.KEY, tag, ...)");
            if (column.quoted() || isOperator(column.text())) throw error(column, "a column");
            Token op = next("an operator (= != < <= > >= ~) after '" + column.text() + "'");
            if (!isOperator(op.text())) throw error(op, "an operator (= != < <= > >= ~)");
            Token value = next("a value after '" + column.text() + " " + op.text() + "'");
            if (!value.quoted() && (isOperator(value.text()) || value.text().equals("(") || value.text().equals(")")
                    || isKeyword(value.text()))) {
                throw error(value, "a value");
            }
            Compare c = new Compare(column.text(), op.text(), value.text());
            if (!c.column.equals("tag")) Columns.check(c.column);
            return c;
        }

        /** and, or, not: only quoted are they values ({@code name = "and"}). */
        private static boolean isKeyword(String t) {
            return t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or") || t.equalsIgnoreCase("not");
        }

        private static boolean isOperator(String t) {
            return switch (t) {
                case "=", "!=", "<", "<=", ">", ">=", "~" -> true;
                default -> false;
            };
        }

        private boolean keyword(String k) {
            if (pos < tokens.size() && !tokens.get(pos).quoted() && tokens.get(pos).text().equalsIgnoreCase(k)) {
                pos++;
                return true;
            }
            return false;
        }

        private boolean peekIs(String t) {
            return pos < tokens.size() && !tokens.get(pos).quoted() && tokens.get(pos).text().equals(t);
        }

        private Token next(String expected) {
            if (pos >= tokens.size()) throw ApiException.badRequest("filter: expected " + expected + " at the end of '" + source + "'");
            return tokens.get(pos++);
        }

        ApiException error(String expected) {
            return pos < tokens.size() ? error(tokens.get(pos), expected)
                    : ApiException.badRequest("filter: expected " + expected + " at the end of '" + source + "'");
        }

        private ApiException error(Token t, String expected) {
            return ApiException.badRequest("filter: expected " + expected + " at position " + (t.at() + 1) + " of '" + source
                    + "', found '" + t.text() + "'");
        }
    }
}
