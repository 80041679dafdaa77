package io.storagecontroller.http;

import io.storagecontroller.model.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Turns every failure into Neon's {@code {"msg": ...}} body: bad input is a 4xx naming what was
 * wrong, never a 500 or a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiError.class)
  ResponseEntity<ErrorBody> api(ApiError e) {
    return ErrorBody.response(e.status(), e.getMessage());
  }

  /** The one place a domain refusal becomes an HTTP status, with Neon's message prefix. */
  @ExceptionHandler(Refusal.class)
  ResponseEntity<ErrorBody> refused(Refusal e) {
    ApiError answer = RefusalStatus.of(e);
    return ErrorBody.response(answer.status(), answer.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e) {
    return ErrorBody.response(HttpStatus.BAD_REQUEST, describeUnreadable(e));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorBody> badPathOrQuery(MethodArgumentTypeMismatchException e) {
    String why = "cannot be parsed";
    // Our parsers explain themselves with an IllegalArgumentException; prefer that to the JDK's
    // wording.
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof IllegalArgumentException && !(c instanceof NumberFormatException)) {
        why = c.getMessage();
        break;
      }
    }
    return ErrorBody.response(
        HttpStatus.BAD_REQUEST, "Invalid " + e.getName() + " '" + e.getValue() + "': " + why);
  }

  @ExceptionHandler(MissingRequestValueException.class)
  ResponseEntity<ErrorBody> missingValue(MissingRequestValueException e) {
    return ErrorBody.response(HttpStatus.BAD_REQUEST, e.getBody().getDetail());
  }

  /** Tomcat could not decode the query string (e.g. a value that is not UTF-8). */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ErrorBody> badQuery(InvalidParameterException e) {
    return ErrorBody.response(HttpStatus.BAD_REQUEST, "Invalid query string: " + e.getMessage());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<ErrorBody> invalid(IllegalArgumentException e) {
    return ErrorBody.response(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  ResponseEntity<ErrorBody> noRoute(HttpServletRequest request) {
    return ErrorBody.response(
        HttpStatus.NOT_FOUND,
        "NotFound: no route for " + request.getMethod() + " " + request.getRequestURI());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> wrongMethod(
      HttpRequestMethodNotSupportedException e, HttpServletRequest r) {
    return ErrorBody.response(
        HttpStatus.METHOD_NOT_ALLOWED,
        "method " + e.getMethod() + " is not allowed on " + r.getRequestURI());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> wrongMediaType(HttpMediaTypeNotSupportedException e) {
    return ErrorBody.response(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "request body must be JSON (Content-Type: application/json), got " + e.getContentType());
  }

  /**
   * PostgreSQL unreachable, or the connection lost during a statement or its COMMIT (whose outcome
   * is then unknown: the caller retries, and every change here is idempotent).
   */
  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    CannotGetJdbcConnectionException.class,
    CannotCreateTransactionException.class,
    TransactionSystemException.class
  })
  ResponseEntity<ErrorBody> databaseUnavailable(RuntimeException e) {
    log.warn("database unavailable: {}", e.getMessage());
    return ErrorBody.response(HttpStatus.SERVICE_UNAVAILABLE, "database unavailable, retry later");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> internal(Exception e, HttpServletRequest request) {
    log.error("internal error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return ErrorBody.response(
        HttpStatus.INTERNAL_SERVER_ERROR, "Internal error: " + e.getMessage());
  }

  static String describeUnreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getCause();
    if (cause == null) {
      return "missing request body";
    }
    // The innermost cause names what a JSON creator refused (e.g. a malformed id).
    Throwable root = e.getMostSpecificCause();
    String where = "";
    if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
      where = databind.getPathReference().replaceAll("^.*?\\[", "[") + ": ";
    }
    String what =
        root instanceof JacksonException jackson ? jackson.getOriginalMessage() : root.getMessage();
    return "Failed to parse json request: " + where + what;
  }
}
