use super::*;

fn event(time: f64, code: &str, data: &str) -> Event {
    Event {
        time,
        code: code.into(),
        data: data.into(),
    }
}

#[test]
fn output_is_searchable_text_with_times() {
    let mut ix = Indexer::default();
    ix.event(&event(1.0, "o", "\u{1b}[1;32malice@db\u{1b}[0m:~$ "));
    ix.event(&event(2.0, "i", "cat /etc/pa\u{7f}asswd\r"));
    ix.event(&event(2.1, "o", "cat /etc/passwd\r\nroot:x:0:0:root\r\n"));
    ix.event(&event(30.0, "o", "much later\r\n"));
    let segments = ix.finish();
    let output: Vec<&Segment> = segments.iter().filter(|s| s.kind == "output").collect();
    assert_eq!(output[0].time, 1.0);
    assert_eq!(output[0].text, "alice@db:~$ cat /etc/passwd\nroot:x:0:0:root\n");
    assert_eq!(output[0].line_times, [1.0, 2.1]);
    assert_eq!(output[0].line_times_text(), "1 2.1");
    assert_eq!(output[1].time, 30.0);
    let input: Vec<&Segment> = segments.iter().filter(|s| s.kind == "input").collect();
    assert_eq!(input[0].text, "cat /etc/passwd\n");
    assert_eq!(input[0].time, 2.0);
}

#[test]
fn escape_sequences_never_split_words() {
    let mut ix = Indexer::default();
    ix.event(&event(0.0, "o", "sec\u{1b}[31mret\u{1b}[0m\r\n"));
    assert_eq!(ix.finish()[0].text, "secret\n");
}

fn terms(text: &str) -> Vec<Term> {
    crate::db::search::match_terms(text).unwrap()
}

#[test]
fn the_first_line_holding_a_word_gives_the_time() {
    let body = "routine one\nkernel: XYLOPHONE overheated\nlogin to web-2 done\n";
    let times = "6 7.5 9";
    let at = |q: &str| first_matching_line(body, times, &terms(q));
    assert_eq!(at("xylophone"), Some(7.5), "case does not matter");
    assert_eq!(at("xyloph*"), Some(7.5));
    assert_eq!(at("web-2"), Some(9.0), "a word with punctuation is a phrase");
    assert_eq!(at("2-web"), None);
    assert_eq!(at("done routine"), Some(6.0), "the first line holding any word");
    assert_eq!(at("xylo"), None, "a whole word unless asked for a prefix");
    assert_eq!(at("nowhere"), None);
}
